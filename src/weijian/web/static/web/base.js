// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy can forbid
// inline scripts (script-src 'self').

// One menu open at a time; a click elsewhere closes it (menus are <details>, no framework).
document.addEventListener("click", function (event) {
  document.querySelectorAll("header.top details.menu[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});

// <select data-autosubmit> submits its form when changed (period and version pickers).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});

// <form data-confirm="…"> asks before it is sent (deletions).
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
