// Shared helpers, defined once per document as window.__a11y.
(() => {
  if (window.__a11y) return;
  const squash = (value) => (value || "").replace(/\s+/g, " ").trim();
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") return false;
    const rect = el.getBoundingClientRect();
    return rect.width > 0 || rect.height > 0 || el.getClientRects().length > 0;
  };
  const clipped = (style) =>
    (style.clip && style.clip !== "auto") || (style.clipPath && style.clipPath !== "none");
  const tiny = (el) => {
    const rect = el.getBoundingClientRect();
    return rect.width <= 1 || rect.height <= 1;
  };
  // hidden itself, or inside an element clipped to nothing (a .visually-hidden text's parts)
  const visuallyHidden = (el) => {
    if (tiny(el) || clipped(getComputedStyle(el))) return true;
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (clipped(style) || (tiny(node) && style.overflow === "hidden")) return true;
    }
    return false;
  };
  const describe = (el) => {
    if (!el || el === document.body || el === document.documentElement) {
      return el ? el.tagName.toLowerCase() : "(nothing)";
    }
    let text = el.tagName.toLowerCase();
    if (el.id) text += `#${el.id}`;
    for (const name of el.classList) text += `.${name}`;
    for (const attr of ["type", "name", "href", "value"]) {
      const value = el.getAttribute(attr);
      if (value !== null && !(attr === "value" && el.type !== "radio" && el.type !== "checkbox")) {
        text += `[${attr}="${value.slice(0, 60)}"]`;
      }
    }
    const label = squash(el.innerText || el.getAttribute("aria-label") || el.value || "");
    return label ? `${text} "${label.slice(0, 60)}"` : text;
  };
  const FOCUSABLE =
    'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, ' +
    'iframe, [tabindex], [contenteditable=""], [contenteditable="true"]';
  // Tab stops in DOM order; a radio group is one stop (its checked radio, else its first).
  const tabbable = () => {
    const stops = [...document.querySelectorAll(FOCUSABLE)].filter(
      (el) => !el.disabled && el.tabIndex >= 0 && shown(el),
    );
    return stops.filter((el) => {
      if (el.type !== "radio" || !el.name) return true;
      const group = stops.filter((other) => other.type === "radio" && other.name === el.name && other.form === el.form);
      const checked = group.find((other) => other.checked);
      return el === (checked || group[0]);
    });
  };
  const classes = (el) => [...el.classList].sort().map((name) => `.${name}`).join("");
  // A kind of focusable element: tag, type and classes, in its nearest classed component.
  const kind = (el) => {
    const type = el.tagName === "INPUT" ? `[type=${el.type}]` : "";
    let component = el.parentElement;
    while (component && !component.classList.length && component !== document.body) {
      component = component.parentElement;
    }
    const where = component && component !== document.body ? ` in ${component.tagName.toLowerCase()}${classes(component)}` : "";
    return `${el.tagName.toLowerCase()}${type}${classes(el)}${where}`;
  };
  window.__a11y = { squash, shown, visuallyHidden, describe, tabbable, kind };
})();
