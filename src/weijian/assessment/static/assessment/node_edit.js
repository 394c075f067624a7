// The item editor shows only the pickers and parameters of the chosen source and method
// (a static file: the Content-Security-Policy forbids inline scripts).
(function () {
  var form = document.getElementById("node-form");
  if (!form) return;
  function sync() {
    var source = form.source.value, method = form.method.value;
    form.querySelectorAll("[data-for]").forEach(function (el) {
      el.hidden = el.dataset.for.split(" ").indexOf(source) < 0;
    });
    form.querySelectorAll("[data-m]").forEach(function (el) {
      el.hidden = el.dataset.m.split(" ").indexOf(method) < 0;
    });
  }
  form.source.addEventListener("change", sync);
  form.method.addEventListener("change", sync);
  sync();
})();
