// albo: an act's page, when printed, says on which day it was printed (the page itself
// says for which day it was built). Without JavaScript the page prints without that date.
(function () {
  var el = document.getElementById('stampata');
  if (!el) return;
  window.addEventListener('beforeprint', function () {
    el.textContent = ', stampata il ' + new Date().toLocaleDateString('it-IT', { day: '2-digit', month: '2-digit', year: 'numeric' });
    el.hidden = false;
  });
})();
