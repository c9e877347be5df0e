/* The case desk's page. Its words, the cases and every rule come from the server's API in the
   user's language; this script only lays them out. Every text goes into the document as text
   (textContent, attribute values): no HTML is ever built from a string. */
(function () {
  'use strict';

  var WebApp = (window.Telegram && window.Telegram.WebApp) || null;
  var launch = (WebApp && WebApp.initData) || '';
  var S = {}; // the page's words (api/session)
  var session = null;
  var table = { q: '', status: '', sort: 'next', dir: 'asc', limit: 100 };
  var searchTimer = 0;

  // -- building the document from text -------------------------------------------------------

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    var key;
    attrs = attrs || {};
    for (key in attrs) {
      if (!Object.prototype.hasOwnProperty.call(attrs, key)) continue;
      var value = attrs[key];
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') el.textContent = String(value);
      else if (key.slice(0, 2) === 'on') el.addEventListener(key.slice(2), value);
      else if (key === 'value') el.value = value;
      else if (key === 'checked') el.checked = Boolean(value);
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    add(el, children);
    return el;
  }

  function add(el, children) {
    if (children === null || children === undefined || children === false) return el;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return el;
  }

  function fill(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
  }

  var uid = 0;
  function id(prefix) {
    uid += 1;
    return prefix + '-' + uid;
  }

  function field(label, control, hint) {
    var hintId = hint ? id('hint') : null;
    if (hintId) control.setAttribute('aria-describedby', hintId);
    if (!control.id) control.id = id('f');
    return h('div', { class: 'field' }, [
      h('label', { for: control.id, text: label }),
      control,
      hint ? h('small', { id: hintId, class: 'hint', text: hint }) : null
    ]);
  }

  // -- talking to the server -----------------------------------------------------------------

  function Failure(status, data) {
    this.status = status;
    this.data = data || {};
    this.message = (data && data.error) || S.network_error || 'Network error';
  }

  function api(method, path, body, raw) {
    var headers = { Accept: 'application/json' };
    if (launch) headers.Authorization = 'tma ' + launch;
    var options = { method: method, headers: headers, credentials: 'omit', cache: 'no-store' };
    if (body !== undefined) {
      if (raw) {
        headers['Content-Type'] = 'text/csv; charset=utf-8';
        options.body = body;
      } else {
        headers['Content-Type'] = 'application/json';
        options.body = JSON.stringify(body);
      }
    }
    return fetch(path, options).then(
      function (response) {
        var kind = response.headers.get('Content-Type') || '';
        var read = kind.indexOf('application/json') === 0 ? response.json() : response.blob();
        return read.then(function (data) {
          if (response.status === 401) {
            refused(data);
            throw new Failure(401, data);
          }
          if (!response.ok) throw new Failure(response.status, data);
          return data;
        });
      },
      function () {
        throw new Failure(0, null);
      }
    );
  }

  function refused(data) {
    document.title = data.error || 'pctby';
    clear(document.getElementById('nav'));
    clear(document.getElementById('tools'));
    show(
      h('section', { class: 'refused', 'data-reason': data.reason || '' }, [
        h('h2', { tabindex: '-1', text: data.title || data.error || '' }),
        h('p', { text: data.message || '' })
      ])
    );
  }

  // -- the frame -----------------------------------------------------------------------------

  var toastTimer = 0;
  function say(text, error) {
    var box = document.getElementById(error ? 'problem' : 'notice');
    var other = document.getElementById(error ? 'notice' : 'problem');
    clear(other);
    clear(box).appendChild(document.createTextNode(text || ''));
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () {
      clear(box);
    }, error ? 12000 : 6000);
  }

  function fail(err) {
    if (err && err.status === 401) return;
    say(err && err.message ? err.message : S.network_error, true);
  }

  function show(view) {
    var main = clear(document.getElementById('main'));
    main.removeAttribute('aria-busy');
    main.appendChild(view);
    var heading = main.querySelector('h2');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
    window.scrollTo(0, 0);
  }

  function busy() {
    var main = document.getElementById('main');
    main.setAttribute('aria-busy', 'true');
  }

  function frame() {
    document.documentElement.lang = session.lang;
    document.title = S.app_title;
    var nav = clear(document.getElementById('nav'));
    nav.setAttribute('aria-label', S.app_title);
    [
      ['#/', S.nav_cases],
      ['#/add', S.nav_add],
      ['#/transfer', S.nav_transfer]
    ].forEach(function (item) {
      nav.appendChild(h('a', { href: item[0], text: item[1], 'data-nav': item[0] }));
    });
    var select = h('select', { id: 'lang', onchange: changeLanguage });
    session.langs.forEach(function (lang) {
      select.appendChild(
        h('option', { value: lang.code, text: lang.label, selected: lang.code === session.lang })
      );
    });
    var tools = clear(document.getElementById('tools'));
    tools.appendChild(h('label', { for: 'lang', class: 'visually-hidden', text: S.language }));
    tools.appendChild(select);
  }

  function markNav(hash) {
    var links = document.querySelectorAll('#nav a');
    Array.prototype.forEach.call(links, function (a) {
      if (a.getAttribute('data-nav') === hash) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
  }

  function changeLanguage(event) {
    var lang = event.target.value;
    api('PUT', 'api/language', { lang: lang })
      .then(start)
      .catch(fail);
  }

  function back() {
    window.location.hash = '#/';
  }

  // -- the table -----------------------------------------------------------------------------

  var COLUMNS = [
    ['ref', 'col_ref', 'ref'],
    ['kind', 'col_kind', 'kind'],
    ['title', 'col_title', 'title'],
    ['next', 'col_next', 'next'],
    ['days', 'col_days', 'next'],
    ['status', 'col_status', 'status']
  ];

  function showTable() {
    markNav('#/');
    if (WebApp) WebApp.BackButton.hide();
    var search = h('input', {
      type: 'search',
      id: 'q',
      value: table.q,
      autocomplete: 'off',
      enterkeyhint: 'search',
      oninput: function (event) {
        table.q = event.target.value;
        table.limit = 100;
        window.clearTimeout(searchTimer);
        searchTimer = window.setTimeout(loadRows, 200);
      }
    });
    var status = h('select', {
      id: 'status',
      onchange: function (event) {
        table.status = event.target.value;
        table.limit = 100;
        loadRows();
      }
    });
    var sort = h('select', {
      id: 'sort',
      onchange: function (event) {
        table.sort = event.target.value;
        loadRows();
      }
    });
    COLUMNS.forEach(function (col) {
      if (col[0] === 'days') return;
      sort.appendChild(
        h('option', { value: col[2], text: S[col[1]], selected: table.sort === col[2] })
      );
    });
    var reverse = h('button', {
      type: 'button',
      id: 'reverse',
      class: 'secondary',
      'aria-pressed': table.dir === 'desc' ? 'true' : 'false',
      text: S.reverse,
      onclick: function () {
        table.dir = table.dir === 'desc' ? 'asc' : 'desc';
        reverse.setAttribute('aria-pressed', table.dir === 'desc' ? 'true' : 'false');
        loadRows();
      }
    });
    var view = h('section', { class: 'cases', 'aria-labelledby': 'cases-title' }, [
      h('h2', { id: 'cases-title', text: S.nav_cases }),
      h('div', { class: 'filters' }, [
        field(S.search, search),
        field(S.filter, status),
        h('div', { class: 'sorting' }, [field(S.sort_by, sort), reverse])
      ]),
      h('p', { id: 'summary', class: 'summary', 'aria-live': 'polite' }),
      h('div', { id: 'rows', class: 'rows' })
    ]);
    show(view);
    loadRows();
  }

  function loadRows() {
    var query =
      'api/cases?q=' +
      encodeURIComponent(table.q) +
      '&status=' +
      encodeURIComponent(table.status) +
      '&sort=' +
      table.sort +
      '&dir=' +
      table.dir +
      '&limit=' +
      table.limit;
    busy();
    api('GET', query)
      .then(renderRows)
      .catch(fail);
  }

  function renderRows(data) {
    var box = document.getElementById('rows');
    if (!box) return;
    document.getElementById('main').removeAttribute('aria-busy');
    var status = document.getElementById('status');
    var chosen = table.status;
    clear(status).appendChild(
      h('option', { value: '', text: S.filter_all + ' (' + data.total + ')' })
    );
    session.statuses.forEach(function (s) {
      status.appendChild(
        h('option', {
          value: s.code,
          text: s.label + ' (' + (data.counts[s.code] || 0) + ')',
          selected: s.code === chosen
        })
      );
    });
    status.value = chosen;
    var summary = document.getElementById('summary');
    summary.textContent = fill(S.shown, { shown: data.rows.length, matched: data.matched });
    clear(box);
    if (!data.rows.length) {
      box.appendChild(h('p', { class: 'empty', text: data.total ? S.no_match : S.no_cases }));
      if (!data.total) box.appendChild(h('a', { href: '#/add', class: 'button', text: S.nav_add }));
      return;
    }
    var head = h('tr');
    COLUMNS.forEach(function (col) {
      var sorted = table.sort === col[2] && col[0] !== 'days';
      var th = h('th', {
        scope: 'col',
        'aria-sort': sorted ? (table.dir === 'desc' ? 'descending' : 'ascending') : null
      });
      th.appendChild(
        h('button', {
          type: 'button',
          class: 'sort',
          text: S[col[1]],
          onclick: function () {
            if (table.sort === col[2]) table.dir = table.dir === 'desc' ? 'asc' : 'desc';
            else {
              table.sort = col[2];
              table.dir = 'asc';
            }
            document.getElementById('sort').value = table.sort;
            var reverse = document.getElementById('reverse');
            reverse.setAttribute('aria-pressed', table.dir === 'desc' ? 'true' : 'false');
            loadRows();
          }
        })
      );
      head.appendChild(th);
    });
    var body = h('tbody');
    data.rows.forEach(function (row) {
      var next = row.next;
      body.appendChild(
        h('tr', { class: 'st-' + row.status, 'data-id': row.id }, [
          h('th', { scope: 'row', 'data-label': S.col_ref }, [
            row.team ? h('small', { class: 'team', text: row.team + ' · ' }) : null,
            h('a', { href: '#/case/' + row.id, text: row.ref }),
            row.muted ? h('small', { class: 'muted', text: ' ' + S.reminders_stopped }) : null
          ]),
          h('td', { class: 'kind', 'data-label': S.col_kind, text: row.kind_label }),
          h('td', { class: row.title ? 'title' : 'title none', 'data-label': S.col_title, text: row.title || '—' }),
          h('td', { class: 'next', 'data-label': S.col_next }, next
            ? [h('time', { datetime: next.date, text: next.date_text }), ' ', h('span', { text: next.label })]
            : '—'),
          h('td', { class: 'days', 'data-label': S.col_days, text: next ? next.days_text : '—' }),
          h('td', { class: 'status', 'data-label': S.col_status }, [
            h('span', { class: 'badge st-' + row.status, text: row.status_label })
          ])
        ])
      );
    });
    box.appendChild(
      h('table', {}, [h('caption', { class: 'visually-hidden', text: S.nav_cases }), h('thead', {}, head), body])
    );
    if (data.rows.length < data.matched) {
      box.appendChild(
        h('button', {
          type: 'button',
          class: 'secondary more',
          text: S.show_more,
          onclick: function () {
            table.limit += 100;
            loadRows();
          }
        })
      );
    }
  }

  // -- a case --------------------------------------------------------------------------------

  function showCase(caseId) {
    markNav('');
    if (WebApp) WebApp.BackButton.show();
    busy();
    api('GET', 'api/cases/' + caseId)
      .then(renderCase)
      .catch(function (err) {
        if (err.status === 404) {
          show(
            h('section', {}, [
              h('h2', { text: err.message }),
              h('a', { href: '#/', text: S.back })
            ])
          );
        } else fail(err);
      });
  }

  function reload(caseId, message) {
    return function (result) {
      say(message || (result && result.message) || '');
      return api('GET', 'api/cases/' + caseId).then(renderCase);
    };
  }

  function dates(c) {
    var list = h('dl', { class: 'facts' });
    function item(term, value) {
      if (!value) return;
      list.appendChild(h('dt', { text: term }));
      list.appendChild(h('dd', { text: value }));
    }
    item(S.priority, c.priority_text || S.no_priority);
    item(S.filing, c.filing_text);
    item(S.publication, [c.wo_number, c.publication_text].filter(Boolean).join(', '));
    return list;
  }

  function toggle(label, checked, onChange) {
    var box = h('input', { type: 'checkbox', checked: checked, onchange: onChange });
    box.id = id('t');
    return h('div', { class: 'toggle' }, [box, h('label', { for: box.id, text: label })]);
  }

  function deadlineItem(c, d) {
    var parts = [
      h('div', { class: 'when' }, [
        h('time', { datetime: d.date, text: d.date_text }),
        ' ',
        h('span', { class: 'badge st-' + d.standing, text: d.standing_label })
      ]),
      h('h4', { class: 'what', text: d.label }),
      h('p', { class: 'left', text: d.days_text }),
      h('p', { class: 'basis' }, [h('span', { text: S.basis + ': ' }), h('span', { text: d.basis })])
    ];
    if (d.why) parts.push(h('p', { class: 'why', text: d.why }));
    if (d.amount) {
      var money = S.amount + ': ' + d.amount;
      if (d.late_amount) money += '; ' + S.in_grace_amount + ': ' + d.late_amount;
      parts.push(h('p', { class: 'amount', text: money }));
    }
    if (d.warnings.length) {
      parts.push(
        h(
          'ul',
          { class: 'warnings' },
          d.warnings.map(function (w) {
            return h('li', { text: w });
          })
        )
      );
    }
    if (d.action === 'route') {
      parts.push(
        h('details', { class: 'route' }, [h('summary', { text: d.action_label }), h('p', { text: d.route })])
      );
    } else if (c.can_write) {
      parts.push(
        h('button', {
          type: 'button',
          class: 'act',
          'data-code': d.code,
          text: d.action_label,
          'aria-label': d.action_label + ': ' + d.label,
          onclick: function (event) {
            event.target.disabled = true;
            api('POST', 'api/cases/' + c.id + '/act', { code: d.code, due: d.date })
              .then(reload(c.id))
              .catch(function (err) {
                event.target.disabled = false;
                fail(err);
              });
          }
        })
      );
    }
    return h('li', { class: 'deadline st-' + d.standing, 'data-code': d.code }, parts);
  }

  function recordForm(c) {
    var event = h('select', { name: 'event' });
    session.events.forEach(function (e) {
      event.appendChild(h('option', { value: e.word, text: e.label, 'data-annual': e.annual ? '1' : null }));
    });
    var year = h('input', { type: 'number', name: 'year', min: '1', max: '25', inputmode: 'numeric' });
    var yearField = field(S.year, year);
    yearField.hidden = true;
    event.addEventListener('change', function () {
      var annual = event.value === 'annual';
      yearField.hidden = !annual;
      year.required = annual;
    });
    var day = h('input', { type: 'date', name: 'date', value: c.today, max: c.today, required: true });
    var form = h(
      'form',
      {
        class: 'record',
        novalidate: false,
        onsubmit: function (e) {
          e.preventDefault();
          var body = { event: event.value, date: day.value };
          if (event.value === 'annual') body.year = year.value;
          api('POST', 'api/cases/' + c.id + '/events', body)
            .then(reload(c.id))
            .catch(fail);
        }
      },
      [field(S.event, event), yearField, field(S.date, day), h('button', { type: 'submit', text: S.record })]
    );
    return form;
  }

  function eventList(c) {
    if (!c.events.length) return h('p', { class: 'empty', text: S.no_events });
    return h(
      'ul',
      { class: 'events' },
      c.events.map(function (e) {
        return h('li', { 'data-kind': e.kind }, [
          h('time', { datetime: e.date, text: e.date_text }),
          ' — ',
          h('span', { text: e.label }),
          ' ',
          h('small', { class: 'hint', text: '(' + e.source + ')' }),
          !c.can_write ? null : h('button', {
            type: 'button',
            class: 'link undo',
            text: S.undo,
            'aria-label': S.undo + ': ' + e.label + ', ' + e.date_text,
            onclick: function () {
              api('DELETE', 'api/cases/' + c.id + '/events/' + e.id)
                .then(reload(c.id))
                .catch(fail);
            }
          })
        ]);
      })
    );
  }

  function timeline(c) {
    var picture = h('div', { class: 'picture' });
    var loaded = false;
    var details = h('details', { class: 'timeline' }, [h('summary', { text: S.timeline }), picture]);
    details.addEventListener('toggle', function () {
      if (!details.open || loaded) return;
      loaded = true;
      picture.appendChild(h('p', { class: 'hint', text: S.loading }));
      api('GET', 'api/cases/' + c.id + '/timeline.png')
        .then(function (blob) {
          clear(picture).appendChild(
            h('img', { src: URL.createObjectURL(blob), alt: S.timeline_alt, width: '1200', height: '700' })
          );
        })
        .catch(function (err) {
          clear(picture);
          if (err.status === 501) {
            // drawn nowhere on this server (no matplotlib): say so where the picture would be
            picture.appendChild(h('p', { class: 'hint', text: err.message }));
            return;
          }
          loaded = false;
          fail(err);
        });
    });
    return details;
  }

  function deleteBox(c) {
    var box = h('div', { class: 'danger-zone' });
    function ask() {
      clear(box).appendChild(h('p', { text: S.delete_ask }));
      box.appendChild(
        h('div', { class: 'buttons' }, [
          h('button', {
            type: 'button',
            class: 'danger',
            text: S.delete_yes,
            onclick: function () {
              api('DELETE', 'api/cases/' + c.id)
                .then(function (result) {
                  say(result.message);
                  back();
                })
                .catch(fail);
            }
          }),
          h('button', { type: 'button', class: 'secondary', text: S.delete_no, onclick: idle })
        ])
      );
      box.querySelector('button').focus();
    }
    function idle() {
      clear(box).appendChild(h('button', { type: 'button', class: 'secondary', text: S.delete, onclick: ask }));
    }
    idle();
    return box;
  }

  function renderCase(c) {
    document.title = c.ref + ' — ' + S.app_title;
    var open = c.deadlines.length
      ? h(
          'ol',
          { class: 'deadlines' },
          c.deadlines.map(function (d) {
            return deadlineItem(c, d);
          })
        )
      : h('p', { class: 'empty', text: S.no_open });
    var team = c.team
      ? h('p', { class: 'team' }, [
          h('span', { text: fill(S.team_line, { team: c.team, role: c.role }) }),
          c.assignee ? h('span', { text: ' ' + fill(S.handled_by, { name: c.assignee }) }) : null,
          c.can_write ? null : h('span', { class: 'hint', text: ' ' + fill(S.read_only, { team: c.team }) })
        ])
      : null;
    var view = h('article', { class: 'case', 'data-id': c.id }, [
      h('a', { href: '#/', class: 'back', text: '← ' + S.back }),
      h('h2', { text: c.ref }),
      h('p', { class: 'subtitle' }, [
        h('span', { text: c.kind_label }),
        c.title ? h('span', { class: 'title', text: ' · ' + c.title }) : null
      ]),
      team,
      dates(c),
      !c.can_write ? null : h('div', { class: 'toggles' }, [
        toggle(S.natural_person, c.natural_person, function (event) {
          api('PUT', 'api/cases/' + c.id + '/natural-person', { value: event.target.checked })
            .then(reload(c.id))
            .catch(fail);
        }),
        toggle(S.alerts_on, !c.muted, function (event) {
          api('PUT', 'api/cases/' + c.id + '/alerts', { on: event.target.checked })
            .then(reload(c.id))
            .catch(fail);
        })
      ]),
      h('section', { 'aria-labelledby': 'open-title' }, [
        h('h3', { id: 'open-title', text: S.open_deadlines }),
        open,
        c.notes.length
          ? h(
              'ul',
              { class: 'notes' },
              c.notes.map(function (n) {
                return h('li', { text: n });
              })
            )
          : null
      ]),
      !c.can_write ? null : h('section', { 'aria-labelledby': 'record-title' }, [
        h('h3', { id: 'record-title', text: S.record_title }),
        recordForm(c)
      ]),
      h('section', { 'aria-labelledby': 'events-title' }, [
        h('h3', { id: 'events-title', text: S.events }),
        eventList(c)
      ]),
      h('section', {}, [timeline(c)]),
      c.can_write ? h('section', {}, [deleteBox(c)]) : null
    ]);
    var focused = document.activeElement;
    var keep = focused && focused.closest && focused.closest('#main') ? focused.id : null;
    show(view);
    if (keep && document.getElementById(keep)) document.getElementById(keep).focus();
  }

  // -- adding a case -------------------------------------------------------------------------

  function showAdd() {
    markNav('#/add');
    if (WebApp) WebApp.BackButton.show();
    var ref = h('input', { name: 'ref', required: true, maxlength: '40', autocomplete: 'off', spellcheck: 'false' });
    var kind = h('select', { name: 'kind' });
    session.kinds.forEach(function (k) {
      kind.appendChild(h('option', { value: k.code, text: k.label }));
    });
    var priority = h('input', { type: 'date', name: 'priority' });
    var filing = h('input', { type: 'date', name: 'filing', required: true });
    var title = h('input', { name: 'title', maxlength: '500' });
    var natural = h('input', { type: 'checkbox', name: 'natural_person' });
    natural.id = id('np');
    var form = h(
      'form',
      {
        class: 'add',
        onsubmit: function (e) {
          e.preventDefault();
          api('POST', 'api/cases', {
            ref: ref.value,
            kind: kind.value,
            priority: priority.value,
            filing: filing.value,
            title: title.value,
            natural_person: natural.checked
          })
            .then(function (result) {
              say(result.message);
              window.location.hash = '#/case/' + result.id;
            })
            .catch(fail);
        }
      },
      [
        field(S.col_ref, ref, S.ref_hint),
        field(S.kind, kind),
        field(S.priority, priority, S.priority_hint),
        field(S.filing, filing),
        field(S.title_optional, title),
        h('div', { class: 'toggle' }, [natural, h('label', { for: natural.id, text: S.natural_person })]),
        h('button', { type: 'submit', text: S.save })
      ]
    );
    show(h('section', { class: 'adding' }, [h('h2', { text: S.add_title }), form]));
  }

  // -- import and export ---------------------------------------------------------------------

  function download(format) {
    api('POST', 'api/export-link', { format: format })
      .then(function (link) {
        var url = new URL(link.url, window.location.href).href;
        if (WebApp && WebApp.downloadFile && WebApp.downloadFile({ url: url, file_name: link.filename })) return;
        var a = h('a', { href: url, download: link.filename, class: 'visually-hidden' });
        document.body.appendChild(a);
        a.click();
        a.remove();
      })
      .catch(fail);
  }

  function showTransfer() {
    markNav('#/transfer');
    if (WebApp) WebApp.BackButton.show();
    var file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true });
    var report = h('div', { class: 'report', 'aria-live': 'polite' });
    var form = h(
      'form',
      {
        class: 'import',
        onsubmit: function (e) {
          e.preventDefault();
          var chosen = file.files && file.files[0];
          if (!chosen) return;
          clear(report).appendChild(h('p', { class: 'hint', text: S.loading }));
          chosen
            .text()
            .then(function (text) {
              return api('POST', 'api/import', text, true);
            })
            .then(function (result) {
              clear(report).appendChild(h('p', { class: 'ok', text: result.message }));
            })
            .catch(function (err) {
              clear(report);
              if (err.status === 401) return;
              report.appendChild(h('p', { class: 'error', role: 'alert', text: err.message }));
              var lines = (err.data && err.data.errors) || [];
              if (lines.length) {
                report.appendChild(
                  h(
                    'ul',
                    { class: 'errors' },
                    lines.map(function (line) {
                      return h('li', { text: line });
                    })
                  )
                );
              }
            });
        }
      },
      [h('p', { class: 'hint', text: S.import_hint }), field(S.import_file, file), h('button', { type: 'submit', text: S.import_go })]
    );
    show(
      h('section', { class: 'transfer' }, [
        h('h2', { text: S.nav_transfer }),
        h('h3', { text: S.import_title }),
        form,
        report,
        h('h3', { text: S.export_title }),
        h('div', { class: 'buttons' }, [
          h('button', { type: 'button', class: 'secondary', text: S.export_csv, onclick: function () { download('csv'); } }),
          h('button', { type: 'button', class: 'secondary', text: S.export_ics, onclick: function () { download('ics'); } })
        ])
      ])
    );
  }

  // -- start ---------------------------------------------------------------------------------

  function route() {
    if (!session) return;
    var hash = window.location.hash || '#/';
    var found = /^#\/case\/(\d{1,18})$/.exec(hash);
    if (found) showCase(found[1]);
    else if (hash === '#/add') showAdd();
    else if (hash === '#/transfer') showTransfer();
    else showTable();
  }

  function start() {
    return api('GET', 'api/session').then(function (data) {
      session = data;
      S = data.strings;
      frame();
      route();
    });
  }

  if (/tgWebApp/.test(window.location.hash)) {
    // the launch data stays in this tab's session (tg.js), not in the address bar
    window.history.replaceState(null, '', window.location.pathname + window.location.search + '#/');
  }
  window.addEventListener('hashchange', route);
  if (WebApp) {
    WebApp.BackButton.onClick(back);
    WebApp.ready();
    WebApp.expand();
  }
  start().catch(fail);
})();
