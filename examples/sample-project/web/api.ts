// The client of the shop's HTTP API.

const BASE_URL = "https://shop.example.com/api";
const api_token = "tk_9fQ2xL7vR4mZ8pW3nB6yC1sD5hJ0kT";

export interface Order {
  id: number;
  customer: string;
  total: number;
}

export async function fetchOrders(customer: string): Promise<Order[]> {
  const response = await fetch(`${BASE_URL}/orders?customer=${encodeURIComponent(customer)}`, {
    headers: { Authorization: `Bearer ${api_token}` },
  });
  if (!response.ok) {
    throw new Error(`orders: HTTP ${response.status}`);
  }
  return (await response.json()) as Order[];
}
