/* albo: ricerca negli atti in pubblicazione. Plain JavaScript, no framework, no external
   request. The analysis (fold, words, stop words, Snowball Italian stemmer) mirrors
   generator/search in Go; a Go test runs this stemmer against the Go one on every word of
   the index. */
(function (root) {
  'use strict';

  // ---- Analysis: the same steps as generator/search/analyze.go ----
  function fold(s) { return s.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '').normalize('NFC'); }
  function words(folded) { return folded.split(/[^\p{L}\p{Nd}]+/u).filter(Boolean); }

  var V = 'aeiouàèìòù', AEIO = 'aeioàèìò';
  function isV(c) { return c !== undefined && V.indexOf(c) >= 0; }
  function map(list) { var m = {}; list.split(' ').forEach(function (p) { var kv = p.split(':'); m[kv[0]] = +(kv[1] || 1); }); return m; }
  var A2 = map('la cela gliela mela tela vela le cele gliele mele tele vele ne cene gliene mene sene tene vene ci li celi glieli meli teli veli gli mi si ti vi lo celo glielo melo telo velo');
  var A3 = map('ando:1 endo:1 ar:2 er:2 ir:2');
  var A6 = map('ica osa ista anza ice atrice iche abile ibile ose ante mente iste anze ici atrici ichi abili ibili ismi osi anti isti ico ismo oso istà istè istì ' +
    'logia:3 logie:3 azione:2 atore:2 azioni:2 atori:2 usione:4 uzione:4 usioni:4 uzioni:4 enza:5 enze:5 amenti:6 imenti:6 amento:6 imento:6 amente:7 ità:8 iva:9 ive:9 ivi:9 ivo:9');
  var A7 = map('isca enda ata ita uta ava eva iva erebbe irebbe isce ende are ere ire asse ate avate evate ivate ete erete irete ite ereste ireste ute erai irai isci endi erei irei ' +
    'assi ati iti eresti iresti uti avi evi ivi isco ando endo Yamo iamo avamo evamo ivamo eremo iremo assimo ammo emmo eremmo iremmo immo ano iscano avano evano ivano eranno iranno ' +
    'ono iscono arono erono irono erebbero irebbero assero essero issero ato ito uto avo evo ivo ar ir erà irà erò irò');

  // longest suffix of s[0:end] in table, starting at or after lb
  function among(s, end, table, lb) {
    var best = null;
    for (var w in table) {
      if (w.length <= end - lb && (best === null || w.length > best.length) && s.substring(end - w.length, end) === w) best = w;
    }
    return best;
  }

  function stem(word) {
    var acute = { 'á': 'à', 'é': 'è', 'í': 'ì', 'ó': 'ò', 'ú': 'ù' }, s = '', i;
    for (i = 0; i < word.length;) {
      if (word.substr(i, 2) === 'qu') { s += 'qU'; i += 2; } else { s += acute[word[i]] || word[i]; i++; }
    }
    var a = s.split('');
    for (i = 0; i + 2 < a.length; i++) {
      if (isV(a[i]) && isV(a[i + 2])) { if (a[i + 1] === 'u') a[i + 1] = 'U'; else if (a[i + 1] === 'i') a[i + 1] = 'I'; }
    }
    s = a.join('');
    var L = s.length, pV = L, p1 = L, p2 = L, j;
    function past(from, vowel) { for (var k = from; k < L; k++) if (isV(s[k]) === vowel) return k + 1; return -1; }
    if (L > 1) {
      if (isV(s[0])) {
        if (!isV(s[1])) { j = past(2, true); if (j >= 0) pV = j; } else { j = past(2, false); if (j >= 0) pV = j; }
      } else if (!isV(s[1])) { j = past(2, true); if (j >= 0) pV = j; } else if (L > 2) pV = 3;
    }
    j = past(0, true); if (j >= 0) j = past(j, false);
    if (j >= 0) { p1 = j; j = past(j, true); if (j >= 0) j = past(j, false); if (j >= 0) p2 = j; }

    var m = among(s, s.length, A2, 0), m2, bra;
    if (m) {
      bra = s.length - m.length; m2 = among(s, bra, A3, 0);
      if (m2 && pV <= bra - m2.length) s = s.slice(0, bra) + (A3[m2] === 1 ? '' : 'e') + s.slice(bra + m.length);
    }
    function cut(n) { s = s.slice(0, s.length - n); }
    function tryEnd(w, region) { var at = s.length - w.length; if (at >= 0 && s.substring(at) === w && region <= at) { cut(w.length); return true; } return false; }
    function standard() {
      var m = among(s, s.length, A6, 0); if (!m) return false;
      var at = s.length - m.length, act = A6[m], m4;
      if (act === 6) { if (pV > at) return false; cut(m.length); return true; }
      if (act === 7) {
        if (p1 > at) return false; cut(m.length);
        m4 = among(s, s.length, { ic: -1, abil: -1, os: -1, iv: 1 }, 0);
        if (m4 && p2 <= s.length - m4.length) { cut(m4.length); if (m4 === 'iv') tryEnd('at', p2); }
        return true;
      }
      if (p2 > at) return false;
      s = s.slice(0, at) + ({ 3: 'log', 4: 'u', 5: 'ente' }[act] || '');
      if (act === 2) tryEnd('ic', p2);
      if (act === 8) { m4 = among(s, s.length, { ic: 1, abil: 1, iv: 1 }, 0); if (m4 && p2 <= s.length - m4.length) cut(m4.length); }
      if (act === 9 && tryEnd('at', p2)) tryEnd('ic', p2);
      return true;
    }
    if (!standard() && s.length >= pV) { m = among(s, s.length, A7, pV); if (m) cut(m.length); }
    var n = s.length;
    if (n > 0 && AEIO.indexOf(s[n - 1]) >= 0 && pV <= n - 1) { cut(1); tryEnd('i', pV); }
    n = s.length;
    if (n >= 2 && s[n - 1] === 'h' && (s[n - 2] === 'c' || s[n - 2] === 'g') && pV <= n - 2) cut(1);
    return s.replace(/I/g, 'i').replace(/U/g, 'u');
  }

  function terms(text, stop) {
    return words(fold(text)).filter(function (w) { return [...w].length >= 2 && !stop[w]; }).map(stem);
  }

  var api = { fold: fold, words: words, stem: stem, terms: terms };
  if (typeof module !== 'undefined' && module.exports) { module.exports = api; return; }
  root.alboCerca = api;
})(this);

(function () {
  'use strict';
  if (typeof document === 'undefined') return;
  var form = document.getElementById('cerca');
  if (!form) return;
  var A = window.alboCerca, base = form.getAttribute('data-indice'), site = form.getAttribute('data-base');
  var q = document.getElementById('q'), tipo = document.getElementById('tipo'), ufficio = document.getElementById('ufficio');
  var dal = document.getElementById('dal'), al = document.getElementById('al'), anno = document.getElementById('anno');
  var archive = form.hasAttribute('data-archivio'); // the archive: acts no longer published, without pages
  var stato = document.getElementById('stato'), list = document.getElementById('risultati'), more = document.getElementById('altri');
  var cache = {}, meta = null, stop = {}, shown = 0, found = [], seq = 0, timer;
  form.hidden = false;
  document.getElementById('nojs').hidden = true;

  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) { if (r.status === 404) return null; if (!r.ok) throw new Error(r.status); return r.json(); });
    }
    return cache[path];
  }
  function decode(s) {
    var out = [], i, k;
    if (s[0] === 'd') { var p = 0; s.slice(1).split('.').forEach(function (x) { p += parseInt(x, 36); out.push(p); }); return out; }
    var b = atob(s.slice(1));
    for (i = 0; i < b.length; i++) for (k = 0; k < 8; k++) if (b.charCodeAt(i) & (1 << k)) out.push(i * 8 + k);
    return out;
  }
  function and(a, b) { var o = [], i = 0, j = 0; while (i < a.length && j < b.length) { if (a[i] === b[j]) { o.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++; } return o; }
  function or(lists) { var s = {}; lists.forEach(function (l) { l.forEach(function (x) { s[x] = 1; }); }); return Object.keys(s).map(Number).sort(function (x, y) { return x - y; }); }
  function key(t) {
    var r = [...t], n = Math.min(3, r.length), k = r.slice(0, n).join(''), split = meta.splitSet;
    while (split[k]) { if (n === r.length) return k + '~'; n++; k = r.slice(0, n).join(''); }
    return k;
  }
  function group(t) { return get('t/' + encodeURIComponent(key(t)) + '.json').then(function (g) { return g || {}; }); }
  // A complete word: its stem. The word being typed: its stem, or any stem it begins; but
  // a number is always a whole number (556 is not 5560 nor an amount of 556,00).
  function word(w, last) {
    var t = A.stem(w), k = key(t);
    if ([...k].length <= 2 && !meta.shortSet[k]) return Promise.resolve([]); // no such group: nothing to ask for
    return group(t).then(function (g) {
      var lists = g[t] ? [decode(g[t])] : [];
      if (last && !/^[0-9]+$/.test(w)) Object.keys(g).forEach(function (s) { if (s !== t && s.indexOf(w) === 0) lists.push(decode(g[s])); });
      return or(lists);
    });
  }
  function register(text) {
    var m = text.match(/^\s*(\d{1,6})\s*\/\s*(\d{4})\s*$/), y, n;
    if (m) { n = +m[1]; y = +m[2]; } else { m = text.match(/^\s*(\d{4})\s*\/\s*(\d{1,6})\s*$/); if (!m) return null; y = +m[1]; n = +m[2]; }
    return get('r/' + y + '-' + Math.floor(n / 100) + '.json').then(function (r) { return r && r[n] !== undefined ? [r[n]] : []; });
  }
  function filters(ids) {
    var steps = [];
    if (tipo.value !== '') steps.push(get('tipi.json').then(function (m) { return m[tipo.value] ? decode(m[tipo.value]) : []; }));
    if (ufficio.value !== '') steps.push(get('uffici.json').then(function (m) { return m[ufficio.value] ? decode(m[ufficio.value]) : []; }));
    var from = dal.value, to = al.value;
    if (anno && anno.value) { from = from > anno.value + '-01-01' ? from : anno.value + '-01-01'; to = to && to < anno.value + '-12-31' ? to : anno.value + '-12-31'; }
    if (from || to) steps.push(get('date.json').then(function (runs) {
      var out = [], id = 0;
      runs.forEach(function (r) { for (var i = 0; i < r[1]; i++, id++) if ((!from || r[0] >= from) && (!to || r[0] <= to)) out.push(id); });
      return out;
    }));
    return Promise.all(steps).then(function (lists) { lists.forEach(function (l) { ids = ids === null ? l : and(ids, l); }); return ids; });
  }
  function search() {
    var text = q.value, mine = ++seq;
    var reg = register(text), ws = A.words(A.fold(text)).filter(function (w) { return !stop[w] && [...w].length >= 2; });
    var lastTyping = !/\s$/.test(text);
    var p;
    if (reg) p = reg;
    else if (ws.length) p = Promise.all(ws.map(function (w, i) { return word(w, lastTyping && i === ws.length - 1); }))
      .then(function (lists) { return lists.reduce(and); });
    else p = Promise.resolve(null);
    return p.then(filters).then(function (ids) {
      if (mine !== seq) return;
      if (ids === null) { found = []; list.innerHTML = ''; more.hidden = true; stato.textContent = 'Scrivi una parola, un numero di registro (123/2026) o scegli un filtro.'; return; }
      found = ids; shown = 0; list.innerHTML = '';
      stato.textContent = ids.length === 0 ? (archive ? 'Nessun atto dell\'archivio corrisponde alla ricerca.' : 'Nessun atto in pubblicazione corrisponde alla ricerca.') : ids.length === 1 ? 'Un atto trovato.' : ids.length + ' atti trovati.';
      return show();
    }).catch(function () { stato.textContent = 'Ricerca non disponibile: riprova più tardi.'; });
  }
  function show() {
    var page = found.slice(shown, shown + 10), per = meta.c;
    var files = {}; page.forEach(function (id) { files[Math.floor(id / per)] = 1; });
    return Promise.all(Object.keys(files).map(function (f) { return get('d/' + f + '.json').then(function (rows) { files[f] = rows; }); })).then(function () {
      page.forEach(function (id) {
        var d = files[Math.floor(id / per)][id % per], li = document.createElement('li'), p = document.createElement('p');
        var a = document.createElement(d[5] ? 'a' : 'span'); // an act of the archive has no page
        var t = document.createElement('span'); t.className = 'tipo';
        t.textContent = 'Registro ' + d[0] + ' · ' + meta.tipi[d[1]][1] + (d[7] ? ' n. ' + d[7] : '') + (d[8] ? ' · ANNULLATO' : '');
        if (d[5]) a.href = site + d[5];
        a.className = 'oggetto'; a.textContent = d[2];
        p.className = 'date'; p.textContent = (archive ? 'Pubblicato dal ' : 'In pubblicazione dal ') + it(d[3]) + ' al ' + it(d[4]) + (d[6] >= 0 ? ' · ' + meta.uffici[d[6]] : '');
        li.appendChild(t); li.appendChild(a); li.appendChild(p); list.appendChild(li);
      });
      shown += page.length;
      more.hidden = shown >= found.length;
    });
  }
  function it(iso) { return iso.slice(8, 10) + '/' + iso.slice(5, 7) + '/' + iso.slice(0, 4); }
  function later() { clearTimeout(timer); timer = setTimeout(search, 150); }

  get('indice.json').then(function (m) {
    if (!m || m.v !== 1) throw new Error('indice');
    meta = m; meta.splitSet = {}; m.split.forEach(function (k) { meta.splitSet[k] = 1; });
    meta.shortSet = {}; (m.brevi || []).forEach(function (k) { meta.shortSet[k] = 1; });
    m.stop.forEach(function (w) { stop[w] = 1; });
    m.tipi.forEach(function (t, i) { tipo.add(new Option(t[1], i)); });
    m.uffici.forEach(function (u, i) { ufficio.add(new Option(u, i)); });
    // The query and the filters are in the address (?q=…&tipo=…&ufficio=…&dal=…&al=…): a
    // search can be shared, and the back button goes back to the search before.
    function fromURL() {
      var params = new URLSearchParams(location.search), t = params.get('tipo'), u = params.get('ufficio');
      q.value = params.get('q') || '';
      tipo.value = ''; m.tipi.forEach(function (x, i) { if (x[0] === t) tipo.value = i; });
      ufficio.value = ''; m.uffici.forEach(function (x, i) { if (x === u) ufficio.value = i; });
      dal.value = params.get('dal') || ''; al.value = params.get('al') || '';
      if (anno) anno.value = params.get('anno') || '';
    }
    function toURL(push) {
      var params = new URLSearchParams();
      if (q.value) params.set('q', q.value);
      if (tipo.value !== '') params.set('tipo', m.tipi[tipo.value][0]);
      if (ufficio.value !== '') params.set('ufficio', m.uffici[ufficio.value]);
      if (anno && anno.value) params.set('anno', anno.value);
      if (dal.value) params.set('dal', dal.value);
      if (al.value) params.set('al', al.value);
      var s = params.toString() ? '?' + params.toString() : '';
      if (s !== location.search) history[push ? 'pushState' : 'replaceState'](null, '', s || location.pathname);
    }
    fromURL();
    [q, tipo, ufficio, dal, al, anno].forEach(function (el) { if (el) el.addEventListener('input', function () { toURL(el !== q); later(); }); });
    form.addEventListener('submit', function (e) { e.preventDefault(); toURL(true); search(); });
    window.addEventListener('popstate', function () { fromURL(); search(); });
    more.addEventListener('click', function () { show(); });
    if (location.search) search();
  }).catch(function () { stato.textContent = 'Ricerca non disponibile: riprova più tardi.'; });
})();
