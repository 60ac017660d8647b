// Progressive enhancement; without it every page still works.
// - A filter field ([data-filter-target], hidden without JS) narrows the
//   list it names as you type; groups ([data-filter-group]) with no match hide.
// - Print buttons ([data-print]).
// - A table wider than the screen scrolls; it gets focus so keys can scroll it.
// - Search as you type: js/search.js (large) loads only when a search field
//   is used, or at once on the search page, so other pages stay light.
(function () {
  'use strict';
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }
  function reveal(el) {
    var box = el.closest('[data-js]');
    if (box) box.hidden = false;
    return box;
  }

  document.querySelectorAll('input[data-filter-target]').forEach(function (input) {
    var list = document.getElementById(input.getAttribute('data-filter-target'));
    if (!list) return;
    var box = reveal(input);
    var status = box && box.querySelector('.filter-status');
    var items = Array.prototype.map.call(list.querySelectorAll('li'), function (li) {
      return { li: li, text: fold(li.textContent) };
    });
    var groups = list.querySelectorAll('[data-filter-group]');
    var timer = 0;
    function apply() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (it) {
        var ok = words.every(function (w) { return it.text.indexOf(w) !== -1; });
        it.li.hidden = !ok;
        if (ok) shown++;
      });
      groups.forEach(function (g) { g.hidden = !g.querySelector('li:not([hidden])'); });
      if (!status) return;
      clearTimeout(timer);
      // Announce when typing pauses, not at every key.
      timer = setTimeout(function () {
        status.textContent = !words.length ? '' : shown === 0
          ? 'Geen school gevonden. Probeer een deel van de naam, of de plaats.'
          : shown === 1 ? '1 school gevonden.' : shown + ' scholen gevonden.';
      }, 400);
    }
    input.addEventListener('input', apply);
    if (input.value) apply();
  });

  document.querySelectorAll('button[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
    reveal(b);
  });

  document.querySelectorAll('.content table').forEach(function (t) {
    if (t.scrollWidth > t.clientWidth) t.tabIndex = 0;
  });

  var src = document.body.getAttribute('data-search-js');
  var loading = null;
  function load() {
    if (loading || !src) return;
    loading = import(src).then(function () {
      // Catch up with what was typed while the module loaded.
      var a = document.activeElement;
      if (a && a.name === 'q' && a.value) a.dispatchEvent(new Event('input'));
    }, function () { loading = null; });
  }
  document.querySelectorAll('form[data-search]').forEach(function (f) {
    f.addEventListener('focusin', load);
    f.addEventListener('pointerdown', load);
  });
  if (document.getElementById('search-page-results')) load();
})();
