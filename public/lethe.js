// Lethe works without this script. With it, switching the language keeps what was typed in the
// page's forms: the values go to sessionStorage for the one page load that follows, and are
// removed as soon as they are put back. Passwords, files and hidden fields are never kept.
(function () {
  "use strict";
  var KEY = "lethe-kept-form";

  function keepable(field) {
    return field.name && !field.disabled && ["hidden", "password", "file", "submit", "button"].indexOf(field.type) < 0;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-keep-form]");
    if (!link) return;
    var values = [];
    document.querySelectorAll("main form input, main form textarea, main form select").forEach(function (field) {
      if (!keepable(field)) return;
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) values.push([field.name, field.value, true]);
      } else if (field.value) {
        values.push([field.name, field.value, false]);
      }
    });
    if (!values.length) return;
    var target = new URL(link.href, location.href).searchParams.get("return") || "/";
    sessionStorage.setItem(KEY, JSON.stringify({ path: target.split("?")[0], values: values }));
  });

  document.addEventListener("DOMContentLoaded", function () {
    var kept = sessionStorage.getItem(KEY);
    if (!kept) return;
    sessionStorage.removeItem(KEY);
    kept = JSON.parse(kept);
    if (kept.path !== location.pathname) return;
    kept.values.forEach(function (entry) {
      var fields = document.getElementsByName(entry[0]);
      for (var i = 0; i < fields.length; i++) {
        var field = fields[i];
        if (!keepable(field)) continue;
        if (entry[2]) {
          if (field.value === entry[1]) field.checked = true;
        } else if (field.tagName === "SELECT" || field.type !== "checkbox") {
          field.value = entry[1];
        }
      }
    });
  });
})();

// A copy button beside the private link on the receipt; without the script the link is still
// there to select and copy.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("input[data-copy-button]").forEach(function (field) {
    if (!navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = field.getAttribute("data-copy-button");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = field.getAttribute("data-copied");
      });
    });
    field.insertAdjacentElement("afterend", button);
  });
});
