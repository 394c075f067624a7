// The pickers (web/pickers.py): an org tree searched by name or pinyin initials, a period
// picker that shows one kind of period at a time, and an indicator list with search and
// favourites. Plain DOM, no framework; text is always set with textContent, never as HTML.
(function () {
  "use strict";

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // -- org tree -------------------------------------------------------------------------
  function UnitPicker(root) {
    var value = root.querySelector(".picker-value");
    var label = root.querySelector(".picker-label");
    var toggle = root.querySelector(".picker-toggle");
    var panel = root.querySelector(".picker-panel");
    var search = root.querySelector(".picker-search");
    var tree = root.querySelector(".picker-tree");
    var url = root.getAttribute("data-url");
    var timer = null;
    var asked = 0;

    function open(show) {
      panel.hidden = !show;
      toggle.setAttribute("aria-expanded", show ? "true" : "false");
      if (show) {
        if (!tree.children.length) load("", "", tree);
        search.focus();
      }
    }

    function load(query, parent, into) {
      var ticket = ++asked;
      var address = url + "&q=" + encodeURIComponent(query) + "&parent=" + encodeURIComponent(parent);
      fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (!parent && ticket !== asked) return; // an older search answered late
          into.textContent = "";
          render(data.units || [], into, Boolean(query));
        });
    }

    function choose(unit) {
      value.value = unit.code;
      label.textContent = unit.label;
      open(false);
      value.dispatchEvent(new Event("change", { bubbles: true }));
      if (root.hasAttribute("data-autosubmit") && value.form) value.form.submit();
    }

    function render(units, into, searching) {
      if (!units.length) {
        into.appendChild(make("li", "muted", searching ? "没有找到，换个名称或拼音首字母试试" : "没有下级单位"));
        return;
      }
      units.forEach(function (unit) {
        var item = make("li");
        item.setAttribute("role", "treeitem");
        var row = make("div", "picker-row");
        var children = make("ul", "picker-tree");
        children.hidden = true;
        if (unit.children && !searching) {
          var expand = make("button", "picker-expand", "▸");
          expand.type = "button";
          expand.setAttribute("aria-label", "展开" + unit.name + "的下级");
          expand.addEventListener("click", function () {
            children.hidden = !children.hidden;
            expand.textContent = children.hidden ? "▸" : "▾";
            if (!children.hidden && !children.children.length) load("", unit.code, children);
          });
          row.appendChild(expand);
        } else {
          row.appendChild(make("span", "picker-expand-space"));
        }
        var pick = make("button", "picker-choice", searching ? unit.label : unit.name);
        pick.type = "button";
        pick.setAttribute("data-code", unit.code);
        pick.addEventListener("click", function () { choose(unit); });
        row.appendChild(pick);
        item.appendChild(row);
        item.appendChild(children);
        into.appendChild(item);
      });
    }

    var clear = root.querySelector(".picker-clear");
    if (clear) {
      clear.addEventListener("click", function () { choose({ code: "", label: clear.textContent }); });
    }
    toggle.addEventListener("click", function () { open(panel.hidden); });
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { load(search.value.trim(), "", tree); }, 200);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Escape") open(false);
      if (event.key === "Enter") {
        event.preventDefault(); // Enter picks the first answer instead of sending the form
        var first = tree.querySelector(".picker-choice");
        if (first) first.click();
      }
    });
    document.addEventListener("click", function (event) {
      if (!root.contains(event.target)) open(false);
    });
  }

  // -- periods --------------------------------------------------------------------------
  function PeriodPicker(root) {
    var kind = root.querySelector(".period-kind");
    var select = root.querySelector(".period-value");
    var groups = Array.prototype.slice.call(select.querySelectorAll("optgroup"));

    function show(key, pickFirst) {
      groups.forEach(function (group) {
        var visible = group.getAttribute("data-kind") === key;
        group.hidden = !visible;
        group.disabled = !visible;
      });
      if (pickFirst) {
        var first = select.querySelector("optgroup[data-kind='" + key + "'] option");
        if (first) first.selected = true;
      }
    }

    var current = select.options[select.selectedIndex];
    var inGroup = current && current.parentNode.tagName === "OPTGROUP";
    var start = inGroup ? current.parentNode.getAttribute("data-kind") : groups[0].getAttribute("data-kind");
    if (start === "RELATIVE" && !kind.querySelector("option[value=RELATIVE]")) {
      kind.appendChild(make("option", "", "链接中的期间")).value = "RELATIVE";
    }
    kind.value = start;
    show(start, false);
    kind.addEventListener("change", function () {
      show(kind.value, true);
      if (select.hasAttribute("data-autosubmit") && select.form) select.form.submit();
    });
  }

  // -- indicators -----------------------------------------------------------------------
  function IndicatorPicker(root) {
    var search = root.querySelector(".indicator-search");
    var counter = root.querySelector(".indicator-chosen");
    var options = Array.prototype.slice.call(root.querySelectorAll(".indicator-option"));

    function main(code) {
      return root.querySelector("input[name][value='" + CSS.escape(code) + "']");
    }
    function count() {
      counter.textContent = root.querySelectorAll("input[name]:checked").length;
    }

    search.addEventListener("input", function () {
      var words = search.value.trim().toLowerCase().replace(/\s+/g, "");
      options.forEach(function (option) {
        var text = option.getAttribute("data-search").replace(/\s+/g, "");
        option.hidden = Boolean(words) && text.indexOf(words) < 0;
      });
      root.querySelectorAll("details.indicator-group").forEach(function (group) {
        var shown = group.querySelectorAll(".indicator-option:not([hidden])").length;
        group.hidden = Boolean(words) && !shown;
        if (words) group.open = shown > 0;
      });
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    root.addEventListener("change", function (event) {
      var box = event.target;
      var mirrored = box.getAttribute("data-mirror");
      if (mirrored) {
        var real = main(mirrored);
        if (real) real.checked = box.checked;
      } else {
        root.querySelectorAll("input[data-mirror='" + CSS.escape(box.value) + "']").forEach(function (m) {
          m.checked = box.checked;
        });
      }
      count();
    });
    root.addEventListener("click", function (event) {
      var star = event.target.closest ? event.target.closest("button.star") : null;
      if (!star) return;
      var address = root.getAttribute("data-favourite-url").replace("CODE", encodeURIComponent(star.getAttribute("data-code")));
      fetch(address, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": root.getAttribute("data-csrf"), Accept: "application/json" },
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          star.classList.toggle("on", data.favourite);
          star.textContent = data.favourite ? "★" : "☆";
          star.title = data.favourite ? "移出我的常用" : "加入我的常用";
        });
    });
    count();
  }

  function start() {
    document.querySelectorAll(".unit-picker").forEach(UnitPicker);
    document.querySelectorAll(".period-picker").forEach(PeriodPicker);
    document.querySelectorAll(".indicator-picker").forEach(IndicatorPicker);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
