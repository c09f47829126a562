// Describe the focused element, as the keyboard user needs to know it.
() => {
  const { describe } = window.__a11y;
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement || !document.hasFocus()) return null;
  return {
    index: el.getAttribute("data-a11y-focus"),
    element: describe(el),
    tag: el.tagName.toLowerCase(),
    type: (el.getAttribute("type") || "").toLowerCase(),
    name: el.getAttribute("name") || "",
    value: el.value === undefined ? "" : String(el.value),
    checked: !!el.checked,
    options: el.tagName === "SELECT" ? [...el.options].map((option) => option.value) : [],
    href: el.getAttribute("href"),
    isMain: el.tagName === "MAIN",
  };
}
