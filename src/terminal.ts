/** Whether to print in colour, the same for every command: NO_COLOR (non-empty) turns colour off; FORCE_COLOR turns it on; otherwise only on a terminal. */
export function useColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return stream.isTTY === true;
}
