// Fill form controls by name: {name: value | [values]}; return the names not found.
(answers) => {
  const missing = [];
  for (const [name, wanted] of Object.entries(answers)) {
    const values = Array.isArray(wanted) ? wanted : [wanted];
    const controls = [...document.querySelectorAll("input, select, textarea")].filter((el) => el.name === name);
    if (!controls.length) missing.push(name);
    for (const el of controls) {
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = values.includes(el.value);
      } else if (el.tagName === "SELECT") {
        for (const option of el.options) option.selected = values.includes(option.value);
      } else {
        el.value = values[0];
      }
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }
  return missing;
}
