// The operator console's page: plain JavaScript, no build. State comes from /api/state, then by SSE from /api/stream.
'use strict';

(() => {
  const FEED_ROWS = 100;
  const state = { snapshot: null, feed: [], feedEnabled: true, replays: new Map(), actions: [] };
  /** The logged-in operator and the CSRF token every state-changing request carries; null when logged out. */
  let session = null;
  let source = null;
  const rendered = new Map();
  const $ = (id) => document.getElementById(id);

  const escape = (value) =>
    String(value ?? '').replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
    );
  const number = (value) => (value === null || value === undefined ? '–' : Number(value).toLocaleString('en'));
  const ago = (iso) => {
    if (!iso) return 'never';
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (seconds < 60) return `${seconds} s ago`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
    return `${Math.floor(seconds / 3600)} h ago`;
  };
  // Pseudonyms are 46 characters: enough of one to tell subjects apart, the whole on hover.
  const short = (subject) => (subject.length > 28 ? `${subject.slice(0, 27)}…` : subject);
  const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString('en-GB') : '');
  const label = (name) => state.snapshot?.regions.find((region) => region.name === name)?.label ?? name;
  const gapText = (gaps) => gaps.map((gap) => (gap.from === gap.to ? `#${gap.from}` : `#${gap.from}–${gap.to}`));

  /** Replaces a section's HTML only when what it shows changed, so open details and focus survive updates. */
  function put(id, html) {
    if (rendered.get(id) === html) return;
    rendered.set(id, html);
    $(id).innerHTML = html;
  }

  function renderSummary(snapshot) {
    const down = snapshot.nodes.filter((node) => !node.healthy);
    const gaps = snapshot.completeness.filter((stream) => stream.gaps.length > 0);
    const broken = snapshot.nodes.filter((node) => node.audit && !node.audit.valid);
    const dead = snapshot.deadLetters.length;
    const lagging = snapshot.links.filter((link) => (link.lag ?? 0) > 0);
    const parts = [];
    let level = 'ok';
    if (down.length > 0) {
      level = 'bad';
      parts.push(
        `${down.length} service${down.length > 1 ? 's' : ''} down: ${down.map((n) => `${n.region} ${n.service}`).join(', ')}`,
      );
    } else {
      parts.push(`All ${snapshot.nodes.length} services healthy`);
    }
    if (broken.length > 0) {
      level = 'bad';
      parts.push(`audit chain broken in ${broken.map((n) => `${n.region} ${n.service}`).join(', ')}`);
    }
    if (gaps.length > 0) {
      level = 'bad';
      parts.push(`gaps in ${gaps.map((g) => `${g.topic} at ${g.consumer.region}`).join(', ')}`);
    } else if (down.length < snapshot.nodes.length) {
      parts.push('no gaps');
    }
    if (dead > 0) {
      if (level === 'ok') level = 'warn';
      parts.push(`${dead} dead letter${dead > 1 ? 's' : ''}`);
    } else if (down.length < snapshot.nodes.length) {
      parts.push('no dead letters');
    }
    if (lagging.length > 0) parts.push(`lag on ${lagging.map((link) => link.topic).join(', ')}`);
    const summary = $('summary');
    summary.dataset.level = level;
    put('summary', escape(parts.join(' · ')));
  }

  function renderGrid(snapshot) {
    const header = snapshot.services.map((service) => `<th>${escape(service)}</th>`).join('');
    const rows = snapshot.regions.map((region) => {
      const cells = snapshot.services.map((service) => {
        const node = snapshot.nodes.find((n) => n.region === region.name && n.service === service);
        if (!node) return '<td class="cell">not watched</td>';
        const facts = [];
        if (node.outboxPending !== null) facts.push(`outbox ${number(node.outboxPending)}`);
        if (node.deadLetters !== null) {
          facts.push(
            `<span class="${node.deadLetters > 0 ? 'bad' : ''}">dead letters ${number(node.deadLetters)}</span>`,
          );
        }
        if (node.gaps !== null)
          facts.push(`<span class="${node.gaps > 0 ? 'bad' : ''}">gaps ${number(node.gaps)}</span>`);
        if (node.audit) {
          facts.push(
            node.audit.valid
              ? `audit ✓ ${number(node.audit.entries)} entries`
              : `<span class="bad">audit BROKEN at #${escape(node.audit.brokenAt)}: ${escape(node.audit.reason)}</span>`,
          );
        }
        for (const peer of node.peersHeard ?? [])
          facts.push(`heard ${escape(peer.region)} ${escape(ago(peer.lastSeen))}`);
        const state = node.healthy ? '● healthy' : `✖ ${escape(node.problems.join('; ') || 'down')}`;
        return (
          `<td class="cell" data-node="${escape(node.region)}/${escape(node.service)}" data-healthy="${node.healthy}">` +
          `<div class="state">${state}</div><div class="facts">${facts.join(' · ')}</div></td>`
        );
      });
      return `<tr><th>${escape(region.label)}<br><code>${escape(region.name)}</code></th>${cells.join('')}</tr>`;
    });
    put('grid', `<table><thead><tr><th></th>${header}</tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }

  function renderLinks(snapshot) {
    if (snapshot.links.length === 0) return put('links', '<div class="empty">No peer topic consumed yet.</div>');
    const rows = snapshot.links.map((link) => {
      const behind = (link.lag ?? 0) > 0 || link.deadLettered > 0;
      return (
        `<tr class="${behind ? 'warn' : ''}" data-link="${escape(link.topic)}>${escape(link.consumer.region)}/${escape(link.consumer.service)}">` +
        `<td><code>${escape(link.topic)}</code></td>` +
        `<td>${escape(link.consumer.region)} <span class="muted">${escape(link.consumer.service)}</span></td>` +
        `<td class="num">${number(link.published)}</td><td class="num">${number(link.applied)}</td>` +
        `<td class="num">${number(link.duplicates)}</td><td class="num">${number(link.ignored)}</td>` +
        `<td class="num">${number(link.deadLettered)}</td><td class="num">${number(link.lag)}</td>` +
        `<td data-time="${escape(link.lastEventAt ?? '')}">${escape(ago(link.lastEventAt))}</td></tr>`
      );
    });
    put(
      'links',
      '<table class="list"><thead><tr><th>peer topic</th><th>read by</th><th>sent</th><th>applied</th><th>dup</th>' +
        `<th>ignored</th><th>dead</th><th>lag</th><th>last event</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
  }

  /** Complete; or the gaps by name; or, with none, how many the origin published that have not arrived yet. */
  function completenessBadge(stream, gaps) {
    if (stream.complete) return '<span class="badge ok">complete</span>';
    if (gaps.length > 0) return `<span class="badge bad">missing ${escape(gaps.join(', '))}</span>`;
    const behind = Number(stream.published) - Number(stream.highestContiguous);
    return `<span class="badge warn">${number(behind)} not here yet</span>`;
  }

  function renderCompleteness(snapshot) {
    if (snapshot.completeness.length === 0) {
      return put('completeness', '<div class="empty">No sequenced event received from a peer yet.</div>');
    }
    const rows = snapshot.completeness.map((stream) => {
      const gaps = gapText(stream.gaps);
      return (
        `<tr class="${stream.complete ? '' : 'bad'}" data-stream="${escape(stream.topic)}>${escape(stream.consumer.region)}/${escape(stream.consumer.service)}">` +
        `<td>${escape(stream.origin)} → ${escape(stream.consumer.region)} <span class="muted">${escape(stream.consumer.service)}</span></td>` +
        `<td><code>${escape(stream.topic)}</code></td>` +
        `<td class="num">${number(stream.published)}</td>` +
        `<td class="num">${number(stream.highestContiguous)}</td><td class="num">${number(stream.highest)}</td>` +
        `<td class="num">${number(stream.received)}</td>` +
        `<td>${completenessBadge(stream, gaps)}</td></tr>`
      );
    });
    put(
      'completeness',
      '<table class="list"><thead><tr><th>origin → here</th><th>topic</th><th>published</th><th>complete up to</th>' +
        '<th>highest seen</th>' +
        `<th>received</th><th>gaps</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
  }

  const letterKey = (letter) => `${letter.region}/${letter.service}/${letter.id}`;

  function renderDeadLetters(snapshot) {
    put(
      'actions',
      state.actions
        .slice(0, 5)
        .map((action) => `<div class="${action.ok ? 'ok' : 'bad'}">${clock(action.at)} ${escape(action.text)}</div>`)
        .join(''),
    );
    if (snapshot.deadLetters.length === 0) return put('dead-letters', '<div class="empty">No dead letters.</div>');
    const rows = snapshot.deadLetters.map((letter) => {
      const key = letterKey(letter);
      const replay = state.replays.get(key);
      const result = replay
        ? `<div class="replay-result" data-replay-result>${escape(replay)}</div>`
        : letter.replayCount > 0
          ? `<div class="replay-result muted">replayed ${letter.replayCount}× (last ${escape(ago(letter.lastReplayAt))})</div>`
          : '';
      return (
        `<tr class="bad" data-dead-letter="${escape(key)}">` +
        `<td>${escape(letter.region)} <span class="muted">${escape(letter.service)}</span><br>${escape(clock(letter.deadAt))}</td>` +
        `<td><code>${escape(letter.type ?? '(unreadable)')}</code><br>from ${escape(letter.origin ?? '?')} seq ${escape(letter.seq ?? '–')} ` +
        `${letter.signed ? '<span class="badge ok">signed</span>' : '<span class="badge bad">not signed by origin</span>'}</td>` +
        `<td><strong data-reason-code>${escape(letter.reasonCode)}</strong><br>${escape(letter.reason)}</td>` +
        `<td><details><summary>payload</summary><pre>${escape(letter.payload ?? '(none)')}</pre></details></td>` +
        `<td><button class="replay" data-replay="${escape(key)}">Replay</button>${result}</td></tr>`
      );
    });
    put(
      'dead-letters',
      '<table class="list"><thead><tr><th>where / when</th><th>event</th><th>reason</th><th>payload</th><th></th></tr>' +
        `</thead><tbody>${rows.join('')}</tbody></table>`,
    );
  }

  function renderFeed() {
    if (!state.feedEnabled) return put('feed', '<div class="empty">No Kafka brokers configured: no live feed.</div>');
    if (state.feed.length === 0)
      return put('feed', '<div class="empty">No event has crossed the line since the console started.</div>');
    const rows = state.feed.map(
      (item, i) =>
        `<tr class="${item.verified ? '' : 'bad'} ${i === 0 && item.fresh ? 'fresh' : ''}" data-feed-item>` +
        `<td>${escape(clock(item.time))}</td><td><code>${escape(item.type)}</code></td>` +
        `<td>${escape(item.origin)} → ${escape(item.target ?? 'all peers')}</td>` +
        `<td><code title="${escape(item.subject)}">${escape(short(item.subject))}</code></td>` +
        `<td class="num">${escape(item.seq ?? '–')}</td>` +
        `<td>${item.verified ? '<span class="badge ok">verified</span>' : `<span class="badge bad">${escape(item.rejection)}</span>`}</td></tr>`,
    );
    put(
      'feed',
      '<table class="list"><thead><tr><th>time</th><th>type</th><th>origin → target</th><th>subject</th><th>seq</th>' +
        `<th>check</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
  }

  /** Each ledger node's agreement check: both ledgers agree up to entry N, or the first entry where they differ. */
  function renderLedger(snapshot) {
    const nodes = snapshot.nodes.filter((node) => node.service === 'ledger');
    if (nodes.length === 0) return put('ledger', '<div class="empty">No ledger service watched.</div>');
    const rows = nodes.flatMap((node) => {
      if (!node.ledger) {
        return [
          `<tr data-ledger="${escape(node.region)}"><td>${escape(node.region)}</td><td colspan="3">not known</td></tr>`,
        ];
      }
      return node.ledger.logs.map((log) => {
        const differs = log.firstDifference;
        const verdict = differs
          ? `<span class="badge bad">differs at entry ${number(differs.index)}</span> ` +
            `<span class="muted">found by ${escape(differs.foundBy)}: ${escape(differs.reason)}</span>`
          : `<span class="badge ok">agree up to entry ${number(log.agreedUpTo)}</span>`;
        return (
          `<tr class="${differs ? 'warn' : ''}" data-ledger="${escape(node.region)}/${escape(log.log)}">` +
          `<td>${escape(node.region)}</td><td>${escape(log.log)}</td><td class="num">${number(log.size)}</td>` +
          `<td>${verdict}</td></tr>`
        );
      });
    });
    const conflicts = nodes.reduce((total, node) => total + (node.ledger?.equivocations ?? 0), 0);
    put(
      'ledger',
      '<table class="list"><thead><tr><th>checked in</th><th>log of</th><th>entries</th><th>both ledgers</th></tr></thead>' +
        `<tbody>${rows.join('')}</tbody></table>` +
        (conflicts > 0
          ? `<div class="bad">${number(conflicts)} pair(s) of conflicting signed heads kept as proof</div>`
          : ''),
    );
  }

  function render() {
    const snapshot = state.snapshot;
    if (snapshot) {
      renderSummary(snapshot);
      renderGrid(snapshot);
      renderLinks(snapshot);
      renderLedger(snapshot);
      renderCompleteness(snapshot);
      renderDeadLetters(snapshot);
    }
    renderFeed();
  }

  async function replay(key, button) {
    const letter = state.snapshot.deadLetters.find((l) => letterKey(l) === key);
    if (!letter) return;
    button.disabled = true;
    let text;
    let ok = false;
    try {
      const response = await fetch(
        `api/nodes/${encodeURIComponent(letter.region)}/${encodeURIComponent(letter.service)}/dead-letters/${encodeURIComponent(letter.id)}/replay`,
        { method: 'POST', headers: { 'X-CSRF-Token': session.csrfToken } },
      );
      if (response.status === 401) return loggedOut('Your session has ended: log in again.');
      const body = await response.json();
      if (!response.ok) text = `replay failed: ${body.detail ?? response.status}`;
      else if (body.outcome === 'still_dead') text = `still dead: ${body.reasonCode} ${body.reason ?? ''}`;
      else {
        ok = true;
        text = `replayed: ${body.outcome}`;
      }
    } catch (error) {
      text = `replay failed: ${error.message}`;
    }
    state.replays.set(key, text);
    state.actions.unshift({
      at: new Date().toISOString(),
      ok,
      text: `${letter.region} ${letter.service} dead letter #${letter.id} (${letter.type ?? 'unreadable'}): ${text}`,
    });
    rendered.delete('dead-letters');
    render();
  }

  $('dead-letters').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-replay]');
    if (button) void replay(button.dataset.replay, button);
  });

  function renderAccessReports(subject, answers) {
    const rows = answers.flatMap((answer) =>
      answer.error
        ? [`<tr class="bad"><td>${escape(answer.service)}</td><td colspan="5">${escape(answer.error)}</td></tr>`]
        : answer.reports.map(
            (report) =>
              `<tr data-access-report><td>${escape(answer.service)}</td>` +
              `<td>${escape(new Date(report.at).toLocaleString('en-GB'))}</td>` +
              `<td>${escape(report.org)} (${escape(report.role)}, ${escape(label(report.readerRegion))})<br><span class="muted">${escape(report.actor)}</span></td>` +
              `<td><code>${escape(report.action)}</code></td><td>${escape(report.purpose ?? '–')}</td>` +
              `<td>${report.resources.map((resource) => `<code>${escape(resource)}</code>`).join(' ')}</td></tr>`,
          ),
    );
    if (rows.length === 0)
      return put(
        'access-reports',
        `<div class="empty">No other city reported a read of ${escape(short(subject))}.</div>`,
      );
    put(
      'access-reports',
      '<table class="list"><thead><tr><th>service</th><th>when</th><th>who</th><th>what</th><th>purpose</th>' +
        `<th>read</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
  }

  $('access-reports-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const subject = $('access-subject').value.trim();
    fetch(`api/access-reports?subject=${encodeURIComponent(subject)}`)
      .then(async (response) => {
        if (response.status === 401) return loggedOut('Your session has ended: log in again.');
        const body = await response.json();
        if (!response.ok) throw new Error(body.detail ?? `answered ${response.status}`);
        renderAccessReports(subject, body);
      })
      .catch((error) => put('access-reports', `<div class="empty bad">${escape(error.message)}</div>`));
  });

  function renderOpenCases(answer) {
    if (answer.error) return put('open-cases', `<div class="empty bad">${escape(answer.error)}</div>`);
    if (answer.cases.length === 0) return put('open-cases', '<div class="empty">No open case.</div>');
    const clockOf = (item) =>
      item.overdue
        ? '<span class="bad">overdue</span>'
        : item.paused
          ? 'paused (supplement due)'
          : item.warned
            ? '<span class="bad">80 % used</span>'
            : item.deadline
              ? 'running'
              : 'not started';
    const rows = answer.cases.map(
      (item) =>
        `<tr data-open-case><td><code>${escape(item.matterCode)}</code></td><td>${escape(label(item.filingRegion))}</td>` +
        `<td>${escape(item.status)}</td><td>${escape(item.deadline ?? '–')}</td><td>${clockOf(item)}</td></tr>`,
    );
    put(
      'open-cases',
      '<table class="list"><thead><tr><th>matter</th><th>filed in</th><th>status</th><th>deadline</th>' +
        `<th>clock</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
  }

  function loadOpenCases() {
    fetch('api/open-cases')
      .then(async (response) => {
        if (response.status === 401) return loggedOut('Your session has ended: log in again.');
        const body = await response.json();
        if (!response.ok) throw new Error(body.detail ?? `answered ${response.status}`);
        renderOpenCases(body);
      })
      .catch((error) => put('open-cases', `<div class="empty bad">${escape(error.message)}</div>`));
  }

  $('open-cases-refresh').addEventListener('click', loadOpenCases);

  function connect() {
    const connection = $('connection');
    source = new EventSource('api/stream');
    source.addEventListener('open', () => {
      connection.dataset.state = 'live';
      connection.textContent = 'live';
    });
    source.addEventListener('error', () => {
      connection.dataset.state = 'connecting';
      connection.textContent = 'reconnecting…';
      // Closed for good (401 once the session ended): find out whether to log in again or reconnect.
      if (source.readyState === EventSource.CLOSED) setTimeout(() => void resume(), 1000);
    });
    source.addEventListener('snapshot', (message) => {
      state.snapshot = JSON.parse(message.data);
      connection.textContent = `live · updated ${clock(state.snapshot.at)}`;
      render();
    });
    source.addEventListener('feed', (message) => {
      state.feed.forEach((item) => (item.fresh = false));
      state.feed.unshift({ ...JSON.parse(message.data), fresh: true });
      state.feed.length = Math.min(state.feed.length, FEED_ROWS);
      renderFeed();
    });
  }

  function loggedIn(body) {
    session = body;
    const operator = body.operator;
    $('operator').textContent = `${operator.sub ?? operator.org} · ${operator.org} · ${operator.region}`;
    $('logout').hidden = false;
    $('login').hidden = true;
    $('board').hidden = false;
    loadOpenCases();
    fetch('api/state')
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then((body) => {
        state.snapshot = body.snapshot;
        state.feedEnabled = body.feed.enabled;
        state.feed = body.feed.items.slice(0, FEED_ROWS);
        render();
      })
      .catch(() => undefined)
      .finally(connect);
  }

  function loggedOut(reason) {
    session = null;
    source?.close();
    source = null;
    $('operator').textContent = '';
    $('logout').hidden = true;
    $('board').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = reason ?? '';
    $('connection').dataset.state = 'connecting';
    $('connection').textContent = 'logged out';
  }

  /** On load, and when the event stream closes: a live session carries on, none shows the login form. */
  async function resume() {
    const response = await fetch('api/session').catch(() => null);
    if (response?.ok) {
      if (!source || source.readyState === EventSource.CLOSED) loggedIn(await response.json());
    } else if (response?.status === 401) {
      loggedOut(session ? 'Your session has ended: log in again.' : '');
    } else {
      setTimeout(() => void resume(), 2000);
    }
  }

  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value.trim();
    $('login-error').textContent = '';
    fetch('api/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token }),
    })
      .then(async (response) => {
        const body = await response.json();
        if (!response.ok) throw new Error(body.detail ?? `login answered ${response.status}`);
        $('token').value = '';
        loggedIn(body);
      })
      .catch((error) => ($('login-error').textContent = error.message));
  });

  $('logout').addEventListener('click', () => {
    const csrfToken = session?.csrfToken ?? '';
    fetch('api/session', { method: 'DELETE', headers: { 'X-CSRF-Token': csrfToken } })
      .catch(() => undefined)
      .finally(() => loggedOut('Logged out.'));
  });

  void resume();

  // Relative times ("3 s ago") move on between updates.
  setInterval(() => {
    if (!state.snapshot) return;
    renderLinks(state.snapshot);
    renderGrid(state.snapshot);
  }, 5000);
})();
