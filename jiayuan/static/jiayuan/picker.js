/* Type-ahead for long selects (people, compounds, units, departments): a select of more than PICK_AFTER options
 * gets a search box above it that keeps only the options whose text holds what is typed (the chosen one always
 * stays). The select itself is unchanged, so the form posts as before and works without script. */
(function () {
  "use strict";
  var PICK_AFTER = 15;

  function enhance(select) {
    if (select.dataset.picker === "on" || select.options.length <= PICK_AFTER) { return; }
    select.dataset.picker = "on";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "picker-search";
    box.placeholder = select.dataset.pickerPlaceholder || document.documentElement.dataset.pickerPlaceholder || "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("data-testid", "picker-" + (select.name || "select"));
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var wanted = box.value.trim().toLowerCase();
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var keep = !wanted || option.selected || option.value === "" ||
          option.text.toLowerCase().indexOf(wanted) !== -1;
        option.hidden = !keep;
        option.disabled = !keep && !option.selected;
        if (keep && option.value !== "" && first === null) { first = option; }
      });
      if (!select.multiple && wanted && first && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden ||
          select.options[select.selectedIndex].value === "")) {
        first.selected = true;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function enhanceAll(root) { root.querySelectorAll("select").forEach(enhance); }
  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target.parentNode || document); });
})();
