/** One order placed through the Dragons shop; amounts in minor units (cents). */
export interface Order {
  id: string;
  placedAt: string;
  customer: string;
  items: { sku: string; name: string; quantity: number; unitPrice: number }[];
  total: number;
  currency: string;
  status: 'pending' | 'paid' | 'shipped' | 'delivered' | 'refunded';
}

/** The latest orders (the article's admin-only `/api/orders`), newest first. */
export const orders: readonly Order[] = Object.freeze([
  {
    id: 'ORD-10427',
    placedAt: '2026-11-28T16:42:10Z',
    customer: 'Jackie Paper',
    items: [
      { sku: 'KITE-HL-01', name: 'Honah Lee string kite', quantity: 1, unitPrice: 2400 },
      { sku: 'WAX-SEAL-03', name: 'Sealing wax, red', quantity: 3, unitPrice: 450 },
    ],
    total: 3750,
    currency: 'USD',
    status: 'paid',
  },
  {
    id: 'ORD-10426',
    placedAt: '2026-11-28T09:05:51Z',
    customer: 'Bastian Balthazar Bux',
    items: [
      {
        sku: 'BOOK-NES-HC',
        name: 'The Neverending Story, copper-bound edition',
        quantity: 1,
        unitPrice: 8900,
      },
    ],
    total: 8900,
    currency: 'USD',
    status: 'shipped',
  },
  {
    id: 'ORD-10421',
    placedAt: '2026-11-27T21:17:33Z',
    customer: 'Bard the Bowman',
    items: [{ sku: 'ARROW-BLK', name: 'Black arrow, yew shaft', quantity: 1, unitPrice: 12500 }],
    total: 12500,
    currency: 'USD',
    status: 'delivered',
  },
  {
    id: 'ORD-10418',
    placedAt: '2026-11-26T13:58:02Z',
    customer: 'Daenerys Targaryen',
    items: [
      { sku: 'EGG-PETR-BLK', name: 'Petrified dragon egg, black and scarlet', quantity: 1, unitPrice: 49900 },
      { sku: 'EGG-PETR-GRN', name: 'Petrified dragon egg, green and bronze', quantity: 1, unitPrice: 49900 },
      { sku: 'EGG-PETR-CRM', name: 'Petrified dragon egg, cream and gold', quantity: 1, unitPrice: 49900 },
    ],
    total: 149700,
    currency: 'USD',
    status: 'delivered',
  },
  {
    id: 'ORD-10409',
    placedAt: '2026-11-24T08:30:45Z',
    customer: 'Bilbo Baggins',
    items: [
      { sku: 'MAP-THROR', name: "Thror's map, facsimile with moon-letters", quantity: 2, unitPrice: 3200 },
    ],
    total: 6400,
    currency: 'USD',
    status: 'refunded',
  },
]);
