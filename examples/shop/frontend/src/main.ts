interface Health {
  status: string;
  service: string;
  version: string;
}

interface Item {
  id: number;
  name: string;
  price: number;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}

async function showHealth(target: HTMLElement): Promise<void> {
  try {
    const health = await getJson<Health>('/api/health');
    target.textContent = `API ${health.service} ${health.version}: ${health.status}`;
  } catch (error) {
    target.textContent = `API unreachable: ${(error as Error).message}`;
  }
}

async function showItems(target: HTMLElement): Promise<void> {
  try {
    const items = await getJson<Item[]>('/api/items');
    target.replaceChildren(
      ...items.map((item) => {
        const row = document.createElement('li');
        row.textContent = `${item.name}: $${item.price.toFixed(2)}`;
        return row;
      }),
    );
  } catch (error) {
    target.textContent = `Items unavailable: ${(error as Error).message}`;
  }
}

const health = document.querySelector<HTMLElement>('#health');
const items = document.querySelector<HTMLElement>('#items');
if (health) void showHealth(health);
if (items) void showItems(items);
