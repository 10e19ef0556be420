//! GraphQL text for the sync passes.

pub(super) const LOCATIONS: &str = "query Locations($first: Int!, $after: String) { locations(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id name isActive fulfillsOnlineOrders } } }";

pub(super) const VARIANT_FIELDS: &str = "id sku title barcode price createdAt updatedAt product { id title status productType vendor createdAt updatedAt } inventoryItem { id unitCost { amount } }";

pub(super) const LEVEL_FIELDS: &str = "location { id } quantities(names: [\"available\", \"on_hand\", \"committed\", \"incoming\"]) { name quantity }";

pub(super) const ORDER_FIELDS: &str = "id name createdAt updatedAt cancelledAt currencyCode physicalLocation { id fulfillsOnlineOrders }";

pub(super) const LINE_FIELDS: &str = "id sku quantity currentQuantity variant { id } originalUnitPriceSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } }";

pub(super) const REFUND_LINE_FIELDS: &str =
    "id quantity restockType restocked lineItem { id } subtotalSet { shopMoney { amount } }";

/// Leaner selections for paged order queries, where every field costs points.
pub(super) const PAGED_LINE_FIELDS: &str =
    "id sku quantity currentQuantity variant { id } originalUnitPriceSet { shopMoney { amount } }";
pub(super) const PAGED_REFUND_LINE_FIELDS: &str = "id quantity restocked lineItem { id }";
/// Orders per page: ~200 points each with the selections above, under the 1,000 cap.
pub(super) const PAGED_ORDERS: u32 = 4;
