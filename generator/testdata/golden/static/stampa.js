// albo: an act's page, when printed, says on which day it was printed. The page itself
// names no day of building, so that it stays byte for byte the same from day to day (a
// deploy or a cache need not fetch it again); without JavaScript the browser's own print
// header carries the date.
(function () {
  var el = document.getElementById('stampata');
  if (!el) return;
  window.addEventListener('beforeprint', function () {
    el.textContent = ', stampata il ' + new Date().toLocaleDateString('it-IT', { day: '2-digit', month: '2-digit', year: 'numeric' });
    el.hidden = false;
  });
})();
