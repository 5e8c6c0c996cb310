/**
 * A number per object, for cache keys: stages keep the objects of what did not
 * change (a Source, an EventModel), so "same inputs" is "same ids".
 */
const ids = new WeakMap<object, number>();
let next = 1;

export function objectId(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = next++;
    ids.set(value, id);
  }
  return id;
}
