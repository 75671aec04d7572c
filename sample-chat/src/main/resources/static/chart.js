'use strict';
// A small line chart on a canvas: a fixed number of samples per series, scaled to the
// largest value shown, with a few grid lines and a legend. No dependencies.
class LineChart {
  constructor(canvas, series, capacity = 120) {
    this.canvas = canvas;
    this.series = series.map((s) => ({ label: s.label, color: s.color, values: [] }));
    this.capacity = capacity;
    this.samples = 0;
  }

  push(values) {
    this.series.forEach((s, i) => {
      s.values.push(Number.isFinite(values[i]) ? values[i] : 0);
      if (s.values.length > this.capacity) {
        s.values.shift();
      }
    });
    this.samples++;
    this.canvas.dataset.samples = String(this.samples);
    this.draw();
  }

  draw() {
    const ratio = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth || 400;
    const height = this.canvas.clientHeight || 160;
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
    }
    const g = this.canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const left = 48;
    const right = width - 8;
    const top = 18;
    const bottom = height - 14;
    const max = LineChart.niceMax(Math.max(0, ...this.series.flatMap((s) => s.values)));

    g.font = '11px system-ui, sans-serif';
    g.strokeStyle = '#e5e5e5';
    g.fillStyle = '#666';
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const y = bottom - (bottom - top) * i / 4;
      g.beginPath();
      g.moveTo(left, y);
      g.lineTo(right, y);
      g.stroke();
      g.fillText(LineChart.format(max * i / 4), left - 6, y);
    }

    const step = (right - left) / Math.max(1, this.capacity - 1);
    for (const s of this.series) {
      g.strokeStyle = s.color;
      g.lineWidth = 1.5;
      g.beginPath();
      const offset = this.capacity - s.values.length;
      s.values.forEach((value, i) => {
        const x = left + (offset + i) * step;
        const y = bottom - (max > 0 ? value / max : 0) * (bottom - top);
        if (i === 0) {
          g.moveTo(x, y);
        } else {
          g.lineTo(x, y);
        }
      });
      g.stroke();
    }

    g.textAlign = 'left';
    g.textBaseline = 'top';
    let x = left;
    for (const s of this.series) {
      g.fillStyle = s.color;
      g.fillRect(x, 3, 10, 10);
      g.fillStyle = '#333';
      g.fillText(s.label, x + 14, 2);
      x += 24 + g.measureText(s.label).width;
    }
  }

  static niceMax(value) {
    if (value <= 0) {
      return 1;
    }
    const magnitude = 10 ** Math.floor(Math.log10(value));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (value <= step * magnitude) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static format(value) {
    if (value >= 1000) {
      return `${(value / 1000).toFixed(value >= 10000 ? 0 : 1)}k`;
    }
    return value >= 10 || value === 0 ? value.toFixed(0) : value.toFixed(value >= 1 ? 1 : 2);
  }
}
