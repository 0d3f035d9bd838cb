/**
 * The forms an image reference is matched in (DESIGN §3): as `docker ps` shows it, with the implied
 * `:latest` when it has no tag or digest, and with `docker.io/` / `docker.io/library/` stripped.
 * `nginx:latest` also matches as `nginx`, so a pattern written without a tag still matches.
 */
export function imageForms(image: string): string[] {
  const forms = new Set<string>();
  const add = (ref: string): void => {
    forms.add(ref);
    const short = stripDockerHub(ref);
    forms.add(short);
  };
  add(image);
  if (image.startsWith('sha256:')) return [...forms];
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const hasTag = lastSegment.includes(':');
  if (at >= 0) {
    // repo:tag@digest also matches as repo:tag.
    if (hasTag) add(name);
  } else if (!hasTag) {
    add(`${image}:latest`);
  } else if (image.endsWith(':latest')) {
    add(image.slice(0, -':latest'.length));
  }
  return [...forms];
}

function stripDockerHub(ref: string): string {
  for (const prefix of ['docker.io/library/', 'index.docker.io/library/', 'docker.io/', 'index.docker.io/']) {
    if (ref.startsWith(prefix)) return ref.slice(prefix.length);
  }
  return ref;
}
