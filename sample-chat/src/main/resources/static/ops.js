'use strict';
// Polls the hub's meters from Actuator's metrics endpoint every second and charts them.
// Counters become rates: the difference between two readings over the time between them.
(() => {
  const $ = (id) => document.getElementById(id);
  const charts = {
    sessions: new LineChart($('sessions-chart'), [{ label: 'sessions', color: '#0969da' }]),
    messages: new LineChart($('messages-chart'), [
      { label: 'in', color: '#1a7f37' }, { label: 'out', color: '#8250df' }]),
    dropped: new LineChart($('dropped-chart'), [{ label: 'dropped', color: '#cf222e' }]),
    latency: new LineChart($('latency-chart'), [
      { label: 'mean', color: '#bf8700' }, { label: 'max', color: '#cf222e' }]),
  };
  let previous = null;

  async function measurements(name) {
    const response = await fetch(`/actuator/metrics/${name}`, { headers: { Accept: 'application/json' } });
    if (response.status === 404) {
      return {}; // a meter that has recorded nothing yet
    }
    if (!response.ok) {
      throw new Error(`${name}: HTTP ${response.status}`);
    }
    const body = await response.json();
    return Object.fromEntries(body.measurements.map((m) => [m.statistic, m.value]));
  }

  async function read() {
    const [sessions, received, sent, dropped, latency] = await Promise.all([
      measurements('tutti.sessions.active'), measurements('tutti.messages.received'),
      measurements('tutti.messages.sent'), measurements('tutti.messages.dropped'),
      measurements('tutti.send.latency')]);
    return {
      at: performance.now(),
      sessions: sessions.VALUE || 0,
      received: received.COUNT || 0,
      sent: sent.COUNT || 0,
      dropped: dropped.COUNT || 0,
      latencyCount: latency.COUNT || 0,
      latencyTotal: latency.TOTAL_TIME || 0,
      latencyMax: latency.MAX || 0,
    };
  }

  async function tick() {
    try {
      const now = await read();
      $('sessions-value').textContent = String(now.sessions);
      $('dropped-total').textContent = String(now.dropped);
      charts.sessions.push([now.sessions]);
      if (previous) {
        const seconds = (now.at - previous.at) / 1000;
        const rate = (key) => Math.max(0, now[key] - previous[key]) / seconds;
        const received = rate('received');
        const sent = rate('sent');
        const dropped = rate('dropped');
        const count = now.latencyCount - previous.latencyCount;
        const mean = count > 0 ? 1000 * (now.latencyTotal - previous.latencyTotal) / count : 0;
        const max = 1000 * now.latencyMax;
        $('received-rate').textContent = received.toFixed(1);
        $('sent-rate').textContent = sent.toFixed(1);
        $('dropped-rate').textContent = dropped.toFixed(1);
        $('latency-mean').textContent = mean.toFixed(2);
        $('latency-max').textContent = max.toFixed(2);
        charts.messages.push([received, sent]);
        charts.dropped.push([dropped]);
        charts.latency.push([mean, max]);
      }
      previous = now;
      $('status').className = '';
      $('status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (ex) {
      $('status').className = 'failing';
      $('status').textContent = `Cannot read the meters: ${ex.message}`;
    }
  }

  tick();
  setInterval(tick, 1000);
})();
