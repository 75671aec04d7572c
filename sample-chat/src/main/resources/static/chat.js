'use strict';
// The chat page. Every text from the server or the user is put into the page with
// textContent, never as HTML. The protocol is described in sample-chat/README.md.
(() => {
  const $ = (id) => document.getElementById(id);
  const status = $('status');
  const errors = $('errors');
  const roomMessages = $('room-messages');

  const state = {
    socket: null,
    nickname: null,        // accepted by the server
    wanted: null,          // the nickname asked for
    principal: null,
    rooms: new Set(),      // rooms this page is in (rejoined after a reconnect)
    current: null,
    counts: [],            // [{name, members}] from the server
    presence: new Map(),   // room -> nicknames
    seen: new Set(),       // message ids shown, so that history is not shown twice
    pending: new Map(),    // ref -> {li, message} sent, not yet back from the server
    typing: new Map(),     // room -> Map(nickname -> expiry time)
    attempt: 0,
    reconnecting: false,
    rejoining: null,       // rooms still to be confirmed after a reconnect
    lastTyping: 0,
  };

  const key = (() => {
    let value = localStorage.getItem('tutti-chat-key');
    if (!value) {
      const bytes = new Uint8Array(18);
      crypto.getRandomValues(bytes);
      value = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      localStorage.setItem('tutti-chat-key', value);
    }
    return value;
  })();
  $('nickname').value = localStorage.getItem('tutti-chat-nickname') || '';

  let refs = 0;
  const nextRef = () => `${Date.now().toString(36)}-${(++refs).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  // --- connection -------------------------------------------------------------------

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    setStatus('connecting', state.attempt ? `Reconnecting (attempt ${state.attempt})…` : 'Connecting…');
    const socket = new WebSocket(`${scheme}://${location.host}/ws`);
    state.socket = socket;
    socket.onopen = () => {
      state.attempt = 0;
      setStatus('open', 'Connected');
      if (state.wanted) {
        send({ type: 'hello', nickname: state.wanted, key });
      }
    };
    socket.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (ex) {
        console.warn('Not JSON from the server', event.data);
        return;
      }
      const handler = handlers[message.type];
      if (handler) {
        handler(message);
      } else {
        console.warn('Unknown message type', message.type);
      }
    };
    socket.onclose = () => {
      if (state.socket !== socket) {
        return;
      }
      state.socket = null;
      state.reconnecting = state.nickname !== null || state.reconnecting;
      state.nickname = null;
      for (const entry of state.pending.values()) {
        markUnsent(entry);
      }
      state.pending.clear();
      const delay = Math.min(10000, 500 * 2 ** state.attempt) + Math.floor(Math.random() * 250);
      state.attempt++;
      setStatus('closed', `Disconnected; reconnecting in ${Math.ceil(delay / 1000)} s (attempt ${state.attempt})`);
      setTimeout(connect, delay);
    };
  }

  function isOpen() {
    return state.socket !== null && state.socket.readyState === WebSocket.OPEN && state.nickname !== null;
  }

  function send(message) {
    state.socket.send(JSON.stringify(message));
  }

  function setStatus(kind, text) {
    status.className = kind;
    status.textContent = text;
  }

  // --- messages from the server ------------------------------------------------------

  const handlers = {
    welcome(message) {
      state.nickname = message.nickname;
      state.principal = message.principal;
      localStorage.setItem('tutti-chat-nickname', message.nickname);
      $('whoami').textContent = `You are ${message.nickname}` +
        (message.principal ? ` (signed in as ${message.principal})` : '');
      $('sign-in').hidden = Boolean(message.principal);
      $('nickname-form').hidden = true;
      $('chat').hidden = false;
      if (state.reconnecting && state.rooms.size) {
        state.rejoining = new Set(state.rooms);
        for (const room of state.rooms) {
          send({ type: 'join', room });
        }
      } else {
        send({ type: 'join', room: state.current || 'lobby' });
      }
      state.reconnecting = false;
    },
    rooms(message) {
      state.counts = message.rooms;
      renderRooms();
    },
    entered(message) {
      const rejoin = state.rejoining !== null;
      state.rooms.add(message.room);
      state.presence.set(message.room, message.members);
      const list = messagesOf(message.room);
      for (const line of message.history) {
        showLine(line);
      }
      if (state.rejoining) {
        state.rejoining.delete(message.room);
        if (state.rejoining.size === 0) {
          const rooms = Array.from(state.rooms).join(', ');
          for (const room of state.rooms) {
            system(room, `Reconnected; rejoined ${rooms}`);
          }
          setStatus('open', `Connected (reconnected; rejoined ${rooms})`);
          state.rejoining = null;
        }
      }
      if (!rejoin || !state.current || !state.rooms.has(state.current)) {
        select(message.room);
      }
      renderRooms();
      renderPresence();
    },
    exited(message) {
      state.rooms.delete(message.room);
      state.presence.delete(message.room);
      const list = messagesOf(message.room);
      list.remove();
      if (state.current === message.room) {
        select(state.rooms.values().next().value || null);
      }
      renderRooms();
    },
    presence(message) {
      state.presence.set(message.room, message.members);
      renderPresence();
    },
    joined(message) {
      system(message.room, `${message.nickname} joined`);
    },
    left(message) {
      system(message.room, `${message.nickname} left`);
      stopTyping(message.room, message.nickname);
    },
    message(message) {
      stopTyping(message.room, message.from);
      const mine = message.from === state.nickname && message.ref && state.pending.get(message.ref);
      if (mine) {
        state.pending.delete(message.ref);
        mine.li.classList.remove('pending');
        mine.li.dataset.id = message.id;
        state.seen.add(message.id);
        return;
      }
      showLine(message);
    },
    typing(message) {
      if (message.nickname === state.nickname) {
        return;
      }
      if (!state.typing.has(message.room)) {
        state.typing.set(message.room, new Map());
      }
      state.typing.get(message.room).set(message.nickname, Date.now() + 3000);
      renderTyping();
    },
    private(message) {
      const mine = message.from === state.nickname && message.ref && state.pending.get(message.ref);
      if (mine) {
        state.pending.delete(message.ref);
        mine.li.classList.remove('pending');
        return;
      }
      const li = document.createElement('li');
      li.className = 'private';
      li.append(span('from', `${message.from} → ${message.to}:`), ' ', span('text', message.text));
      append($('private-messages'), li);
    },
    error(message) {
      showError(message.message);
      const refused = message.ref && state.pending.get(message.ref);
      if (refused) {
        state.pending.delete(message.ref);
        markUnsent(refused, `not sent: ${message.message}`);
      }
      if (!state.nickname) {
        $('nickname-form').hidden = false;
        state.wanted = null;
      }
    },
  };

  // --- rendering ---------------------------------------------------------------------

  function messagesOf(room) {
    for (const list of roomMessages.children) {
      if (list.dataset.room === room) {
        return list;
      }
    }
    const list = document.createElement('ul');
    list.className = 'messages';
    list.dataset.room = room;
    list.hidden = room !== state.current;
    roomMessages.appendChild(list);
    return list;
  }

  function select(room) {
    state.current = room;
    for (const list of roomMessages.children) {
      list.hidden = list.dataset.room !== room;
    }
    $('room-title').textContent = room ? `# ${room}` : 'Join a room';
    $('presence-room').textContent = room || '';
    renderRooms();
    renderPresence();
    renderTyping();
  }

  function renderRooms() {
    const list = $('rooms');
    list.replaceChildren();
    const names = new Set(state.counts.map((room) => room.name));
    const rooms = state.counts.concat(Array.from(state.rooms).filter((room) => !names.has(room))
      .map((name) => ({ name, members: 0 })));
    for (const room of rooms) {
      const li = document.createElement('li');
      li.dataset.room = room.name;
      li.classList.toggle('current', room.name === state.current);
      li.classList.toggle('joined', state.rooms.has(room.name));
      li.append(span('name', room.name), span('count', String(room.members)));
      if (state.rooms.has(room.name)) {
        if (room.name !== state.current) {
          li.append(button('Open', 'open', () => select(room.name)));
        }
        li.append(button('Leave', 'leave', () => isOpen() && send({ type: 'leave', room: room.name })));
      } else {
        li.append(button('Join', 'join', () => join(room.name)));
      }
      list.appendChild(li);
    }
  }

  function renderPresence() {
    const list = $('presence');
    list.replaceChildren();
    for (const nickname of state.presence.get(state.current) || []) {
      const li = document.createElement('li');
      li.textContent = nickname;
      list.appendChild(li);
    }
  }

  function renderTyping() {
    const now = Date.now();
    const who = [];
    for (const [nickname, until] of state.typing.get(state.current) || []) {
      if (until > now) {
        who.push(nickname);
      }
    }
    $('typing').textContent = who.length === 0 ? ''
      : `${who.join(', ')} ${who.length === 1 ? 'is' : 'are'} typing…`;
  }

  function stopTyping(room, nickname) {
    const typing = state.typing.get(room);
    if (typing && typing.delete(nickname)) {
      renderTyping();
    }
  }

  function showLine(line) {
    if (state.seen.has(line.id)) {
      return;
    }
    state.seen.add(line.id);
    const li = document.createElement('li');
    li.className = 'message';
    li.dataset.id = line.id;
    li.append(span('from', `${line.from}:`), ' ', span('text', line.text));
    li.title = new Date(line.at).toLocaleTimeString();
    append(messagesOf(line.room), li);
  }

  function system(room, text) {
    const li = document.createElement('li');
    li.className = 'system';
    li.textContent = text;
    append(messagesOf(room), li);
  }

  function showError(text) {
    const li = document.createElement('li');
    li.textContent = text;
    errors.appendChild(li);
    while (errors.children.length > 3) {
      errors.firstChild.remove();
    }
    setTimeout(() => li.remove(), 10000);
  }

  function append(list, li) {
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
  }

  function span(className, text) {
    const element = document.createElement('span');
    element.className = className;
    element.textContent = text;
    return element;
  }

  function button(text, className, onClick) {
    const element = document.createElement('button');
    element.type = 'button';
    element.className = className;
    element.textContent = text;
    element.addEventListener('click', onClick);
    return element;
  }

  // --- sending -----------------------------------------------------------------------

  // A message the page could not hand to the server is never dropped: it stays in the
  // list, marked unsent, with a button that sends it again once connected.
  function outgoing(list, li, message) {
    const entry = { li, message };
    if (isOpen()) {
      li.classList.add('pending');
      state.pending.set(message.ref, entry);
      send(message);
    } else {
      markUnsent(entry);
    }
    append(list, li);
  }

  function markUnsent(entry, reason = 'unsent') {
    const li = entry.li;
    li.classList.remove('pending');
    li.classList.add('unsent');
    if (li.querySelector('.state')) {
      return;
    }
    const note = span('state', reason);
    const retry = button('Retry', 'retry', () => {
      if (!isOpen()) {
        showError('Not connected yet; the message stays unsent');
        return;
      }
      note.remove();
      retry.remove();
      li.classList.remove('unsent');
      li.classList.add('pending');
      entry.message.ref = nextRef();
      state.pending.set(entry.message.ref, entry);
      send(entry.message);
    });
    li.append(note, retry);
  }

  function join(room) {
    if (!isOpen()) {
      showError('Not connected; try again in a moment');
      return;
    }
    if (state.rooms.has(room)) {
      select(room);
      return;
    }
    send({ type: 'join', room });
  }

  $('nickname-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const nickname = $('nickname').value.trim();
    if (!nickname) {
      showError('Choose a nickname');
      return;
    }
    state.wanted = nickname;
    if (state.socket && state.socket.readyState === WebSocket.OPEN) {
      send({ type: 'hello', nickname, key });
    }
  });

  $('new-room-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const room = $('new-room').value.trim();
    if (room) {
      join(room.toLowerCase());
      $('new-room').value = '';
    }
  });

  $('message-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('text').value;
    if (!text.trim() || !state.current) {
      return;
    }
    const li = document.createElement('li');
    li.className = 'message mine';
    li.append(span('from', `${state.nickname || state.wanted}:`), ' ', span('text', text));
    outgoing(messagesOf(state.current), li, { type: 'say', room: state.current, text, ref: nextRef() });
    $('text').value = '';
  });

  $('text').addEventListener('input', () => {
    const now = Date.now();
    if (isOpen() && state.current && now - state.lastTyping > 2000) {
      state.lastTyping = now;
      send({ type: 'typing', room: state.current });
    }
  });

  $('private-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const to = $('private-to').value.trim();
    const text = $('private-text').value;
    if (!to || !text.trim()) {
      return;
    }
    const li = document.createElement('li');
    li.className = 'private mine';
    li.append(span('from', `${state.nickname || state.wanted} → ${to}:`), ' ', span('text', text));
    outgoing($('private-messages'), li, { type: 'private', to, text, ref: nextRef() });
    $('private-text').value = '';
  });

  setInterval(renderTyping, 1000);
  connect();
})();
