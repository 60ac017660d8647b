// Quick exit ("Snel weg"): blank the page at once, then leave with
// location.replace() so that Back does not return here. Shift pressed three
// times (each within 5 s of the last) does the same. Nothing is stored.
(function () {
  'use strict';
  var link = document.getElementById('quick-exit');
  if (!link) return;
  var url = link.href;
  var count = 0;
  var last = 0;

  function leave(e) {
    if (e) e.preventDefault();
    // Hide everything first: what was on screen must not stay visible.
    document.documentElement.className += ' leaving';
    if (document.body) document.body.hidden = true;
    document.title = '';
    window.location.replace(url);
  }

  link.addEventListener('click', leave);
  document.addEventListener('keydown', function (e) {
    // Only a bare Shift counts, so typing capitals or Shift+Tab never exits.
    if (e.key !== 'Shift' || e.ctrlKey || e.altKey || e.metaKey) {
      count = 0;
      return;
    }
    if (e.repeat) return;
    var now = Date.now();
    count = now - last <= 5000 ? count + 1 : 1;
    last = now;
    if (count >= 3) leave();
  });

  // Tell screen-reader users about the shortcut, once, after the live
  // region exists (text set at load time is often not announced).
  var hint = document.getElementById('exit-hint');
  if (hint) {
    setTimeout(function () {
      hint.textContent = 'Tip: druk 3 keer op Shift om deze site snel te verlaten.';
    }, 1500);
  }
})();
