// Number every tabbable element (data-a11y-focus) and describe each.
() => {
  const { tabbable, kind, describe } = window.__a11y;
  return tabbable().map((el, index) => {
    el.setAttribute("data-a11y-focus", String(index));
    return { index, kind: kind(el), element: describe(el), name: el.getAttribute("name") || "", href: el.getAttribute("href") };
  });
}
