import type { UserModel } from "../../datasources/accounts/accounts.model";
import type { CategoryModel, ProductModel } from "../../datasources/catalog/catalog.model";
import type { StockModel } from "../../datasources/inventory/inventory.model";
import type { OrderModel } from "../../datasources/orders/orders.model";
import type { PaymentModel } from "../../datasources/payments/payments.model";
import type { ReviewModel } from "../../datasources/reviews/reviews.model";

/** Models as the datasources return them, with overrides: the values resolver tests start from. */
export const buildProduct = (overrides: Partial<ProductModel> = {}): ProductModel => ({
  id: "p-0001",
  sku: "SKU-0001",
  name: "Kettle",
  description: "Boils water.",
  price: { amount: 2_499, currency: "USD" },
  cost: { amount: 1_200, currency: "USD" },
  categoryId: "c-01",
  imageUrl: null,
  ...overrides,
});

export const buildCategory = (overrides: Partial<CategoryModel> = {}): CategoryModel => ({
  id: "c-01",
  name: "Kitchen",
  ...overrides,
});

export const buildStock = (overrides: Partial<StockModel> = {}): StockModel => ({
  productId: "p-0001",
  available: 3,
  ...overrides,
});

export const buildUser = (overrides: Partial<UserModel> = {}): UserModel => ({
  id: "u-0001",
  name: "Ada",
  email: "ada@example.com",
  role: "customer",
  ...overrides,
});

export const buildReview = (overrides: Partial<ReviewModel> = {}): ReviewModel => ({
  id: "r-0001",
  productId: "p-0001",
  authorId: "u-0001",
  rating: 5,
  body: "Great.",
  createdAt: "2026-11-20T10:00:00.000Z",
  ...overrides,
});

export const buildOrder = (overrides: Partial<OrderModel> = {}): OrderModel => ({
  id: "o-000001",
  userId: "u-0001",
  status: "paid",
  items: [{ productId: "p-0001", quantity: 2, unitPrice: { amount: 2_499, currency: "USD" } }],
  total: { amount: 4_998, currency: "USD" },
  paymentId: "pay-000001",
  createdAt: "2026-11-20T10:15:00.000Z",
  ...overrides,
});

export const buildPayment = (overrides: Partial<PaymentModel> = {}): PaymentModel => ({
  id: "pay-000001",
  status: "succeeded",
  amount: { amount: 4_998, currency: "USD" },
  ...overrides,
});
