// Telegram refuses texts over 4,096 characters; a long reply is split at line boundaries
// (a single over-long line at spaces, then anywhere) so nothing is silently cut.
export const TELEGRAM_TEXT_LIMIT = 4096;

export function splitMessage(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const chunks: string[] = [];
  let current = "";
  const flush = () => {
    if (current !== "") chunks.push(current);
    current = "";
  };
  for (const line of text.split("\n")) {
    for (const piece of splitLine(line, limit)) {
      const joined = current === "" ? piece : `${current}\n${piece}`;
      if (joined.length <= limit) {
        current = joined;
      } else {
        flush();
        current = piece;
      }
    }
  }
  flush();
  return chunks.length > 0 ? chunks : [text];
}

function splitLine(line: string, limit: number): string[] {
  if (line.length <= limit) return [line];
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    const space = rest.lastIndexOf(" ", limit);
    const cut = space > limit / 2 ? space : limit;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, "");
  }
  pieces.push(rest);
  return pieces;
}
