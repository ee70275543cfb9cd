import { money } from "../shared/money.model";
import type { CategoryModel, ProductModel } from "./catalog.model";
import type { CategoryDto, ProductDto } from "./catalog.dto";

export const toProduct = (dto: ProductDto): ProductModel => ({
  id: dto.id,
  sku: dto.sku,
  name: dto.name,
  description: dto.description ?? null,
  price: money(dto.priceCents, dto.currency),
  cost: money(dto.costCents, dto.currency),
  categoryId: dto.categoryId,
  imageUrl: dto.imageUrl ?? null,
});

export const toCategory = (dto: CategoryDto): CategoryModel => ({ id: dto.id, name: dto.name });
