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

// <input class="check-all"> ticks every row box of its table (bulk approval).
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.classList || !box.classList.contains("check-all")) return;
  var table = box.closest("table");
  if (!table) return;
  table.querySelectorAll("tbody input[type=checkbox]").forEach(function (row) {
    row.checked = box.checked;
  });
});

// <button data-print> opens the browser's print dialog (printable pages; 另存为 PDF there).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});

// <button data-confirm="…"> asks before its form is sent (保存并上报); other buttons of the
// same form are not asked.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("button[data-confirm]") : null;
  if (button && !window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
});

// A required cell left empty stays marked until it is filled (tr[data-required]).
document.addEventListener("input", function (event) {
  var row = event.target.closest ? event.target.closest("tr[data-required]") : null;
  if (row && event.target.matches("input.value")) {
    row.classList.toggle("empty-required", !event.target.value.trim());
  }
});

// A file box in the office's words: 选择文件 and the chosen file's name (the browser's own
// button speaks the browser's language, English on many intranet machines). The real input
// stays in its form, inside the label, so clicking 选择文件 opens the file dialog.
function dressFileInputs(root) {
  root.querySelectorAll("input[type=file]:not([data-dressed])").forEach(function (input) {
    input.setAttribute("data-dressed", "");
    var label = document.createElement("label");
    label.className = "button file-choice";
    label.textContent = "选择文件";
    var chosen = document.createElement("span");
    chosen.className = "muted file-name";
    chosen.textContent = "未选择文件";
    input.parentNode.insertBefore(label, input);
    label.parentNode.insertBefore(chosen, label.nextSibling);
    label.appendChild(input);
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
      chosen.textContent = names.length ? names.join("、") : "未选择文件";
    });
  });
}
dressFileInputs(document);
document.addEventListener("htmx:load", function (event) { dressFileInputs(event.target); });
