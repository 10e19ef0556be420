//! The slice of the Shopify Admin GraphQL schema the simulator serves: enough to validate
//! the documented queries statically (unknown fields and arguments are rejected the way
//! Shopify rejects them) and to compute a deterministic requested cost.

/// What a field returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scalar,
    /// A single object of the named type (nullable or not).
    Obj(&'static str),
    /// A plain list of objects of the named type.
    List(&'static str),
    /// A Relay connection of the named node type (`nodes`, `edges`, `pageInfo`).
    Conn(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub name: &'static str,
    pub kind: Kind,
    pub args: &'static [&'static str],
}

const fn s(name: &'static str) -> FieldDef {
    FieldDef {
        name,
        kind: Kind::Scalar,
        args: &[],
    }
}
const fn o(name: &'static str, ty: &'static str) -> FieldDef {
    FieldDef {
        name,
        kind: Kind::Obj(ty),
        args: &[],
    }
}
const fn oa(name: &'static str, ty: &'static str, args: &'static [&'static str]) -> FieldDef {
    FieldDef {
        name,
        kind: Kind::Obj(ty),
        args,
    }
}
const fn l(name: &'static str, ty: &'static str, args: &'static [&'static str]) -> FieldDef {
    FieldDef {
        name,
        kind: Kind::List(ty),
        args,
    }
}
const fn c(name: &'static str, ty: &'static str, args: &'static [&'static str]) -> FieldDef {
    FieldDef {
        name,
        kind: Kind::Conn(ty),
        args,
    }
}

// Forward paging only: `last`/`before` are refused (argumentNotAccepted) rather than ignored.
const PAGE: &[&str] = &["first", "after"];
const PAGE_Q: &[&str] = &["first", "after", "query", "sortKey"];

const QUERY_ROOT: &[FieldDef] = &[
    c("productVariants", "ProductVariant", PAGE_Q),
    c("products", "Product", PAGE_Q),
    c(
        "locations",
        "Location",
        &["first", "after", "query", "includeInactive"],
    ),
    c("orders", "Order", PAGE_Q),
    c(
        "inventoryItems",
        "InventoryItem",
        &["first", "after", "query"],
    ),
    oa("productVariant", "ProductVariant", &["id"]),
    oa("product", "Product", &["id"]),
    oa("inventoryItem", "InventoryItem", &["id"]),
    oa("location", "Location", &["id"]),
    oa("order", "Order", &["id"]),
    oa("node", "Node", &["id"]),
    oa("currentBulkOperation", "BulkOperation", &["type"]),
    oa("bulkOperation", "BulkOperation", &["id"]),
    o("shop", "Shop"),
];

const MUTATION_ROOT: &[FieldDef] = &[
    oa(
        "bulkOperationRunQuery",
        "BulkOperationRunQueryPayload",
        &["query", "groupObjects"],
    ),
    oa("bulkOperationCancel", "BulkOperationCancelPayload", &["id"]),
    oa("metafieldsSet", "MetafieldsSetPayload", &["metafields"]),
];

const VARIANT: &[FieldDef] = &[
    s("id"),
    s("legacyResourceId"),
    s("sku"),
    s("title"),
    s("displayName"),
    s("price"),
    s("compareAtPrice"),
    s("barcode"),
    s("availableForSale"),
    s("inventoryQuantity"),
    s("createdAt"),
    s("updatedAt"),
    o("product", "Product"),
    o("inventoryItem", "InventoryItem"),
];

const PRODUCT: &[FieldDef] = &[
    s("id"),
    s("legacyResourceId"),
    s("title"),
    s("handle"),
    s("status"),
    s("vendor"),
    s("productType"),
    s("totalInventory"),
    s("createdAt"),
    s("updatedAt"),
    c("variants", "ProductVariant", PAGE),
];

const INVENTORY_ITEM: &[FieldDef] = &[
    s("id"),
    s("legacyResourceId"),
    s("sku"),
    s("tracked"),
    s("createdAt"),
    s("updatedAt"),
    o("unitCost", "MoneyV2"),
    o("variant", "ProductVariant"),
    c("inventoryLevels", "InventoryLevel", PAGE),
];

const INVENTORY_LEVEL: &[FieldDef] = &[
    s("id"),
    s("isActive"),
    s("createdAt"),
    s("updatedAt"),
    o("location", "Location"),
    o("item", "InventoryItem"),
    l("quantities", "InventoryQuantity", &["names"]),
];

const INVENTORY_QUANTITY: &[FieldDef] = &[s("id"), s("name"), s("quantity"), s("updatedAt")];

const LOCATION: &[FieldDef] = &[
    s("id"),
    s("legacyResourceId"),
    s("name"),
    s("isActive"),
    s("fulfillsOnlineOrders"),
];

const ORDER: &[FieldDef] = &[
    s("id"),
    s("legacyResourceId"),
    s("name"),
    s("createdAt"),
    s("updatedAt"),
    s("processedAt"),
    s("cancelledAt"),
    s("cancelReason"),
    s("closed"),
    s("currencyCode"),
    s("displayFinancialStatus"),
    s("subtotalLineItemsQuantity"),
    s("currentSubtotalLineItemsQuantity"),
    // `location` was removed in 2024-07 (API-NOTES 5b) and is refused as unknown;
    // `physicalLocation` and `retailLocation` are null for online orders.
    o("physicalLocation", "Location"),
    o("retailLocation", "Location"),
    c("fulfillmentOrders", "FulfillmentOrder", PAGE),
    c("lineItems", "LineItem", PAGE),
    l("refunds", "Refund", &["first"]),
];

const LINE_ITEM: &[FieldDef] = &[
    s("id"),
    s("sku"),
    s("name"),
    s("title"),
    s("quantity"),
    s("currentQuantity"),
    s("unfulfilledQuantity"),
    s("refundableQuantity"),
    o("variant", "ProductVariant"),
    o("originalUnitPriceSet", "MoneyBag"),
    o("discountedUnitPriceSet", "MoneyBag"),
    o("totalDiscountSet", "MoneyBag"),
];

const FULFILLMENT_ORDER: &[FieldDef] = &[
    s("id"),
    s("status"),
    o("assignedLocation", "FulfillmentOrderAssignedLocation"),
    c("lineItems", "FulfillmentOrderLineItem", PAGE),
];

const FO_ASSIGNED_LOCATION: &[FieldDef] = &[s("name"), o("location", "Location")];

const FO_LINE_ITEM: &[FieldDef] = &[
    s("id"),
    s("totalQuantity"),
    s("remainingQuantity"),
    o("lineItem", "LineItem"),
];

const REFUND: &[FieldDef] = &[
    s("id"),
    s("legacyResourceId"),
    s("createdAt"),
    s("note"),
    c("refundLineItems", "RefundLineItem", PAGE),
];

const REFUND_LINE_ITEM: &[FieldDef] = &[
    s("id"),
    s("quantity"),
    s("restockType"),
    s("restocked"),
    o("lineItem", "LineItem"),
    o("location", "Location"),
    o("subtotalSet", "MoneyBag"),
];

const MONEY_V2: &[FieldDef] = &[s("amount"), s("currencyCode")];
const MONEY_BAG: &[FieldDef] = &[o("shopMoney", "MoneyV2"), o("presentmentMoney", "MoneyV2")];
const PAGE_INFO: &[FieldDef] = &[
    s("hasNextPage"),
    s("hasPreviousPage"),
    s("startCursor"),
    s("endCursor"),
];
const NODE: &[FieldDef] = &[s("id")];
const SHOP: &[FieldDef] = &[
    s("id"),
    s("name"),
    s("currencyCode"),
    s("ianaTimezone"),
    s("myshopifyDomain"),
];
const BULK_OPERATION: &[FieldDef] = &[
    s("id"),
    s("status"),
    s("errorCode"),
    s("objectCount"),
    s("rootObjectCount"),
    s("fileSize"),
    s("url"),
    s("partialDataUrl"),
    s("createdAt"),
    s("completedAt"),
    s("query"),
    s("type"),
];
const BULK_RUN_PAYLOAD: &[FieldDef] = &[
    o("bulkOperation", "BulkOperation"),
    l("userErrors", "UserError", &[]),
];
const BULK_CANCEL_PAYLOAD: &[FieldDef] = &[
    o("bulkOperation", "BulkOperation"),
    l("userErrors", "UserError", &[]),
];
const USER_ERROR: &[FieldDef] = &[s("field"), s("message"), s("code")];
const METAFIELDS_SET_PAYLOAD: &[FieldDef] = &[
    l("metafields", "Metafield", &[]),
    l("userErrors", "MetafieldsSetUserError", &[]),
];
const METAFIELD: &[FieldDef] = &[
    s("id"),
    s("namespace"),
    s("key"),
    s("value"),
    s("type"),
    s("ownerType"),
    s("createdAt"),
    s("updatedAt"),
    s("compareDigest"),
];
const METAFIELDS_SET_USER_ERROR: &[FieldDef] =
    &[s("field"), s("message"), s("code"), s("elementIndex")];

/// The fields of a type, `None` for a type the simulator does not know.
pub fn fields(ty: &str) -> Option<&'static [FieldDef]> {
    Some(match ty {
        "QueryRoot" => QUERY_ROOT,
        "Mutation" => MUTATION_ROOT,
        "ProductVariant" => VARIANT,
        "Product" => PRODUCT,
        "InventoryItem" => INVENTORY_ITEM,
        "InventoryLevel" => INVENTORY_LEVEL,
        "InventoryQuantity" => INVENTORY_QUANTITY,
        "Location" => LOCATION,
        "Order" => ORDER,
        "LineItem" => LINE_ITEM,
        "Refund" => REFUND,
        "FulfillmentOrder" => FULFILLMENT_ORDER,
        "FulfillmentOrderAssignedLocation" => FO_ASSIGNED_LOCATION,
        "FulfillmentOrderLineItem" => FO_LINE_ITEM,
        "RefundLineItem" => REFUND_LINE_ITEM,
        "MoneyV2" => MONEY_V2,
        "MoneyBag" => MONEY_BAG,
        "PageInfo" => PAGE_INFO,
        "Node" => NODE,
        "Shop" => SHOP,
        "BulkOperation" => BULK_OPERATION,
        "BulkOperationRunQueryPayload" => BULK_RUN_PAYLOAD,
        "BulkOperationCancelPayload" => BULK_CANCEL_PAYLOAD,
        "UserError" => USER_ERROR,
        "MetafieldsSetPayload" => METAFIELDS_SET_PAYLOAD,
        "Metafield" => METAFIELD,
        "MetafieldsSetUserError" => METAFIELDS_SET_USER_ERROR,
        _ => return None,
    })
}

pub fn field(ty: &str, name: &str) -> Option<&'static FieldDef> {
    fields(ty)?.iter().find(|f| f.name == name)
}

/// Types that implement `Node` (usable in `... on X` under `node(id:)`).
pub fn is_node_type(ty: &str) -> bool {
    matches!(
        ty,
        "ProductVariant"
            | "Product"
            | "InventoryItem"
            | "InventoryLevel"
            | "Location"
            | "Order"
            | "LineItem"
            | "Refund"
            | "FulfillmentOrder"
            | "FulfillmentOrderLineItem"
            | "BulkOperation"
            | "Metafield"
            | "Shop"
    )
}
