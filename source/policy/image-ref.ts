/**
 * The forms an image reference is matched in (DESIGN §3): as `docker ps` shows it, with the implied
 * `:latest` when it has no tag or digest, and with `docker.io/` / `docker.io/library/` stripped.
 * Two more, because they name the same image: `nginx:latest` also matches as `nginx` (a pattern
 * written without a tag), and a Docker Hub image also matches fully qualified
 * (`docker.io/library/nginx:*` matches `nginx:1.25`).
 */
export function imageForms(image: string): string[] {
  const forms = new Set<string>();
  const add = (ref: string): void => {
    forms.add(ref);
    forms.add(stripDockerHub(ref));
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
  for (const ref of [...forms]) {
    const qualified = qualifyDockerHub(ref);
    if (qualified) forms.add(qualified);
  }
  return [...forms];
}

function stripDockerHub(ref: string): string {
  for (const prefix of ['docker.io/library/', 'index.docker.io/library/', 'docker.io/', 'index.docker.io/']) {
    if (ref.startsWith(prefix)) return ref.slice(prefix.length);
  }
  return ref;
}

/** `nginx` → `docker.io/library/nginx`, `bitnami/redis` → `docker.io/bitnami/redis`; else undefined. */
function qualifyDockerHub(ref: string): string | undefined {
  const slash = ref.indexOf('/');
  const first = slash < 0 ? undefined : ref.slice(0, slash);
  // A first segment with a dot or port, or "localhost", is a registry (Docker's own rule).
  if (first !== undefined && (first.includes('.') || first.includes(':') || first === 'localhost'))
    return undefined;
  return slash < 0 ? `docker.io/library/${ref}` : `docker.io/${ref}`;
}
