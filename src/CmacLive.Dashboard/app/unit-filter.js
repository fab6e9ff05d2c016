// The unit filter: every unit seen, in order; choosing one narrows the map and the panels to it.
import { setUnitFilter } from './store.js';

/** Lists the units known from the start; `changed()` redraws what the filter narrows once it is set. */
export function setUpUnitFilter(changed) {
  addUnits(['DU1', 'DU2', 'DU3', 'DU4', 'DU5', 'DU6']);
  const select = document.getElementById('unit');
  select.addEventListener('change', () => {
    setUnitFilter(select.value);
    changed();
  });
}

/** Every unit seen, in order, in the unit filter. */
export function addUnits(units) {
  const select = document.getElementById('unit');
  const known = new Set([...select.options].map((o) => o.value));
  for (const unit of new Set(units)) {
    if (!unit || known.has(unit)) continue;
    known.add(unit);
    const option = document.createElement('option');
    option.value = unit;
    option.textContent = unit;
    const after = [...select.options].find((o) => o.value && o.value.localeCompare(unit) > 0);
    select.insertBefore(option, after ?? null);
  }
}
