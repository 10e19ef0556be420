//! GraphQL text for the sync passes.

pub(super) const LOCATIONS: &str = "query Locations($first: Int!, $after: String) { locations(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id name isActive fulfillsOnlineOrders } } }";

pub(super) const VARIANT_FIELDS: &str = "id sku title barcode price createdAt updatedAt product { id title status productType vendor createdAt updatedAt } inventoryItem { id unitCost { amount } }";

pub(super) const LEVEL_FIELDS: &str = "createdAt updatedAt location { id } quantities(names: [\"available\", \"on_hand\", \"committed\", \"incoming\"]) { name quantity }";

/// `retailLocation` is the point-of-sale location, null for online orders (API-NOTES 5b;
/// `physicalLocation` is its pre-2024-07 name, `location` was removed).
pub(super) const ORDER_FIELDS: &str =
    "id name createdAt updatedAt cancelledAt currencyCode retailLocation { id }";

/// Where an online order is fulfilled, per line and quantity: a line split across
/// locations has one fulfillment-order line item per location (needs a fulfillment-order
/// read scope; API-NOTES 5b, shopify.dev FulfillmentOrder.lineItems and
/// FulfillmentOrderLineItem.totalQuantity). A page reads up to 3 fulfillment orders of 20
/// lines each; lines past that stay at the order's location.
pub(super) const PAGED_FULFILLMENT: &str = "fulfillmentOrders(first: 3) { nodes { id status assignedLocation { location { id } } lineItems(first: 20) { nodes { totalQuantity lineItem { id } } } } }";
/// The same for a bulk operation: the fulfillment order lines come back as their own JSONL
/// lines parented to the fulfillment order (5 connections in all, the bulk limit).
pub(super) const BULK_FULFILLMENT: &str = "fulfillmentOrders { edges { node { id status assignedLocation { location { id } } lineItems { edges { node { totalQuantity lineItem { id } } } } } } }";

/// Probe: can this token read fulfillment orders?
pub(super) const FULFILLMENT_PROBE: &str =
    "{ orders(first: 1) { nodes { id fulfillmentOrders(first: 1) { nodes { id } } } } }";

pub(super) const LINE_FIELDS: &str = "id sku quantity currentQuantity variant { id } originalUnitPriceSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } }";

pub(super) const REFUND_LINE_FIELDS: &str =
    "id quantity restockType restocked lineItem { id } subtotalSet { shopMoney { amount } }";

/// Leaner selections for paged order queries, where every field costs points.
pub(super) const PAGED_LINE_FIELDS: &str =
    "id sku quantity currentQuantity variant { id } originalUnitPriceSet { shopMoney { amount } }";
pub(super) const PAGED_REFUND_LINE_FIELDS: &str = "id quantity restocked lineItem { id }";
/// Orders per page: ~200 points each with the selections above, under the 1,000 cap.
pub(super) const PAGED_ORDERS: u32 = 4;

/// All line items of one order, 100 a page.
pub(super) fn order_lines() -> String {
    format!(
        "query Lines($id: ID!, $after: String) {{ order(id: $id) {{ lineItems(first: 100, after: $after) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {PAGED_LINE_FIELDS} }} }} }} }}"
    )
}

/// The refunds of one order (at most 10, 20 lines each).
pub(super) fn order_refunds() -> String {
    format!(
        "query Refunds($id: ID!) {{ order(id: $id) {{ refunds(first: 10) {{ id createdAt refundLineItems(first: 20) {{ pageInfo {{ hasNextPage }} nodes {{ {PAGED_REFUND_LINE_FIELDS} }} }} }} }} }}"
    )
}

/// Every variant, for a bulk operation.
pub(super) fn variants_bulk() -> String {
    format!("{{ productVariants {{ edges {{ node {{ {VARIANT_FIELDS} }} }} }} }}")
}

/// A page of variants, filtered by `$q`.
pub(super) fn variants_paged() -> String {
    format!(
        "query Variants($first: Int!, $after: String, $q: String) {{ productVariants(first: $first, after: $after, query: $q) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {VARIANT_FIELDS} }} }} }}"
    )
}

/// Every variant with its inventory levels, for a bulk operation.
pub(super) fn inventory_bulk() -> String {
    format!(
        "{{ productVariants {{ edges {{ node {{ id sku inventoryItem {{ id inventoryLevels {{ edges {{ node {{ {LEVEL_FIELDS} }} }} }} }} }} }} }} }}"
    )
}

/// Orders created since `from` with their lines and refunds, for a bulk operation.
pub(super) fn orders_bulk(from: &str, fulfillment: bool) -> String {
    let fo = if fulfillment { BULK_FULFILLMENT } else { "" };
    format!(
        "{{ orders(query: \"created_at:>='{from}'\", sortKey: CREATED_AT) {{ edges {{ node {{ {ORDER_FIELDS} {fo} lineItems {{ edges {{ node {{ {LINE_FIELDS} }} }} }} refunds {{ id createdAt refundLineItems {{ edges {{ node {{ {REFUND_LINE_FIELDS} }} }} }} }} }} }} }} }}"
    )
}

/// A page of orders by `updatedAt`, filtered by `$q`, with a first helping of lines and refunds.
pub(super) fn orders_paged(fulfillment: bool) -> String {
    let fo = if fulfillment { PAGED_FULFILLMENT } else { "" };
    format!(
        "query Orders($first: Int!, $after: String, $q: String) {{ orders(first: $first, after: $after, query: $q, sortKey: UPDATED_AT) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {ORDER_FIELDS} {fo} lineItems(first: 20) {{ pageInfo {{ hasNextPage }} nodes {{ {PAGED_LINE_FIELDS} }} }} refunds(first: 5) {{ id createdAt refundLineItems(first: 10) {{ pageInfo {{ hasNextPage }} nodes {{ {PAGED_REFUND_LINE_FIELDS} }} }} }} }} }} }}"
    )
}
