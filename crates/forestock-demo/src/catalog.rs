//! The demo shop's catalogue: locations, suppliers, categories, products, SKUs, promotions.

use crate::DemoConfig;
use chrono::{Datelike, Days, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Normal};

pub struct LocationDef {
    pub code: &'static str,
    pub name: &'static str,
    pub retail: bool,
}

pub const LOCATIONS: [LocationDef; 3] = [
    LocationDef {
        code: "WH-EAST",
        name: "East warehouse (Newark, NJ)",
        retail: false,
    },
    LocationDef {
        code: "WH-WEST",
        name: "West warehouse (Reno, NV)",
        retail: false,
    },
    LocationDef {
        code: "STORE-PDX",
        name: "Retail store (Portland, OR)",
        retail: true,
    },
];

pub struct SupplierDef {
    pub name: &'static str,
    pub currency: &'static str,
    pub lead_time_mean: f64,
    pub lead_time_sd: f64,
    pub moq: i64,
    pub case_pack: i64,
    /// (min qty, discount %)
    pub breaks: &'static [(i64, f64)],
    pub email: &'static str,
    /// Chance that a shipment arrives very late (port congestion, supplier trouble).
    pub late_risk: f64,
    /// Cost relative to the SKU's base cost (currency conversion aside).
    pub fx: f64,
}

pub const SUPPLIERS: [SupplierDef; 8] = [
    SupplierDef {
        name: "Cascade Textiles",
        currency: "USD",
        lead_time_mean: 21.0,
        lead_time_sd: 4.0,
        moq: 24,
        case_pack: 12,
        breaks: &[(96, 4.0), (240, 8.0)],
        email: "orders@cascade-textiles.example",
        late_risk: 0.05,
        fx: 1.0,
    },
    SupplierDef {
        name: "Nordic Knit Co.",
        currency: "EUR",
        lead_time_mean: 35.0,
        lead_time_sd: 7.0,
        moq: 20,
        case_pack: 10,
        breaks: &[(100, 5.0)],
        email: "sales@nordicknit.example",
        late_risk: 0.08,
        fx: 0.92,
    },
    SupplierDef {
        name: "Trailhead Footwear",
        currency: "USD",
        lead_time_mean: 28.0,
        lead_time_sd: 6.0,
        moq: 12,
        case_pack: 6,
        breaks: &[(60, 3.0), (120, 6.0)],
        email: "wholesale@trailhead.example",
        late_risk: 0.06,
        fx: 1.0,
    },
    SupplierDef {
        name: "Summit Gear Supply",
        currency: "USD",
        lead_time_mean: 14.0,
        lead_time_sd: 3.0,
        moq: 10,
        case_pack: 5,
        breaks: &[(50, 5.0)],
        email: "po@summitgear.example",
        late_risk: 0.04,
        fx: 1.0,
    },
    SupplierDef {
        name: "Hearth & Home Goods",
        currency: "USD",
        lead_time_mean: 10.0,
        lead_time_sd: 2.0,
        moq: 12,
        case_pack: 4,
        breaks: &[],
        email: "orders@hearthhome.example",
        late_risk: 0.03,
        fx: 1.0,
    },
    SupplierDef {
        name: "Bloom Botanicals Ltd",
        currency: "GBP",
        lead_time_mean: 18.0,
        lead_time_sd: 5.0,
        moq: 24,
        case_pack: 24,
        breaks: &[(144, 7.5)],
        email: "trade@bloombotanicals.example",
        late_risk: 0.05,
        fx: 0.79,
    },
    SupplierDef {
        name: "Little Pine Toys",
        currency: "USD",
        lead_time_mean: 45.0,
        lead_time_sd: 10.0,
        moq: 36,
        case_pack: 12,
        breaks: &[(144, 5.0), (288, 10.0)],
        email: "orders@littlepine.example",
        late_risk: 0.10,
        fx: 1.0,
    },
    SupplierDef {
        name: "Harbor Accessories",
        currency: "USD",
        lead_time_mean: 7.0,
        lead_time_sd: 1.5,
        moq: 6,
        case_pack: 6,
        breaks: &[(72, 4.0)],
        email: "hello@harboraccessories.example",
        late_risk: 0.03,
        fx: 1.0,
    },
];

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Season {
    /// Mild Q4 peak only.
    Steady,
    /// Peaks June–August.
    Summer,
    /// Peaks November–February.
    Winter,
    /// Strong November–December gift peak.
    Gift,
}

pub struct CategoryDef {
    pub name: &'static str,
    pub suppliers: &'static [usize],
    pub price: (f64, f64),
    pub season: Season,
    /// Share of SKUs also stocked in the retail store.
    pub retail_share: f64,
    pub nouns: &'static [&'static str],
    pub brands: &'static [&'static str],
    /// Weight when picking a category for a new product.
    pub weight: f64,
}

pub const CATEGORIES: [CategoryDef; 8] = [
    CategoryDef {
        name: "Apparel",
        suppliers: &[0, 1],
        price: (18.0, 120.0),
        season: Season::Steady,
        retail_share: 0.55,
        nouns: &[
            "Tee",
            "Hoodie",
            "Flannel Shirt",
            "Chino",
            "Rain Jacket",
            "Fleece",
            "Beanie",
            "Cardigan",
        ],
        brands: &["Northwind", "Fieldnote"],
        weight: 3.0,
    },
    CategoryDef {
        name: "Knitwear",
        suppliers: &[1],
        price: (45.0, 180.0),
        season: Season::Winter,
        retail_share: 0.5,
        nouns: &[
            "Wool Sweater",
            "Merino Scarf",
            "Cable Knit",
            "Mittens",
            "Turtleneck",
        ],
        brands: &["Fjell", "Northwind"],
        weight: 1.2,
    },
    CategoryDef {
        name: "Footwear",
        suppliers: &[2],
        price: (55.0, 190.0),
        season: Season::Steady,
        retail_share: 0.4,
        nouns: &[
            "Trail Runner",
            "Hiking Boot",
            "Camp Sandal",
            "Chelsea Boot",
            "Sneaker",
        ],
        brands: &["Trailhead", "Ridgeway"],
        weight: 1.5,
    },
    CategoryDef {
        name: "Outdoor",
        suppliers: &[3],
        price: (12.0, 260.0),
        season: Season::Summer,
        retail_share: 0.3,
        nouns: &[
            "Tent",
            "Sleeping Bag",
            "Headlamp",
            "Water Bottle",
            "Daypack",
            "Camp Stove",
            "Trekking Poles",
        ],
        brands: &["Summit", "Basecamp"],
        weight: 2.0,
    },
    CategoryDef {
        name: "Home & Kitchen",
        suppliers: &[4],
        price: (9.0, 140.0),
        season: Season::Steady,
        retail_share: 0.35,
        nouns: &[
            "Mug",
            "Cast Iron Pan",
            "Throw Blanket",
            "Candle",
            "Cutting Board",
            "Pour-over Set",
            "Linen Towel",
        ],
        brands: &["Hearth", "Alder & Ash"],
        weight: 2.0,
    },
    CategoryDef {
        name: "Beauty",
        suppliers: &[5],
        price: (8.0, 60.0),
        season: Season::Steady,
        retail_share: 0.45,
        nouns: &[
            "Lip Balm",
            "Hand Cream",
            "Soap Bar",
            "Face Oil",
            "Bath Salts",
        ],
        brands: &["Bloom", "Meadow"],
        weight: 1.2,
    },
    CategoryDef {
        name: "Toys & Games",
        suppliers: &[6],
        price: (10.0, 90.0),
        season: Season::Gift,
        retail_share: 0.3,
        nouns: &[
            "Puzzle",
            "Wooden Train",
            "Board Game",
            "Plush Bear",
            "Kite",
            "Card Game",
        ],
        brands: &["Little Pine", "Playwright"],
        weight: 1.1,
    },
    CategoryDef {
        name: "Accessories",
        suppliers: &[7, 0],
        price: (6.0, 80.0),
        season: Season::Steady,
        retail_share: 0.6,
        nouns: &[
            "Canvas Tote",
            "Leather Belt",
            "Wallet",
            "Sunglasses",
            "Keychain",
            "Cap",
        ],
        brands: &["Harbor", "Northwind"],
        weight: 1.5,
    },
];

const ADJECTIVES: &[&str] = &[
    "Classic", "Alpine", "Coastal", "Everyday", "Heritage", "Summit", "Cedar", "Harbor", "Meadow",
    "Granite", "Willow", "Ember", "Drift", "Canyon", "Juniper", "Birch", "Tidal", "Aspen",
];
const COLORS: &[&str] = &[
    "Black", "Navy", "Olive", "Sand", "Rust", "Grey", "Forest", "Cream",
];
const SIZES: &[&str] = &["S", "M", "L", "XL"];

pub struct ProductDef {
    pub title: String,
    pub category: usize,
    pub vendor: &'static str,
}

pub struct SkuDef {
    pub code: String,
    pub title: String,
    pub product: usize,
    pub category: usize,
    pub supplier: usize,
    pub price: f64,
    pub cost: f64,
    pub barcode: String,
    /// Ordered key/value pairs, stored as a JSON object.
    pub attributes: Vec<(&'static str, String)>,
    pub created: NaiveDate,
    pub discontinue: Option<NaiveDate>,
    /// Mean daily demand over all locations at the start of the history, before seasonality.
    pub rate: f64,
    /// Yearly growth (0.1 = +10% a year).
    pub trend: f64,
    /// Price elasticity for promotions: lift = (1 − discount)^(−elasticity).
    pub elasticity: f64,
    /// (location index, share of the SKU's demand)
    pub locations: Vec<(usize, f64)>,
}

pub enum PromoScope {
    All,
    Category(usize),
    Sku(usize),
}

pub struct PromoDef {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub discount_pct: f64,
    pub scope: PromoScope,
}

pub struct Catalog {
    pub start: NaiveDate,
    pub products: Vec<ProductDef>,
    pub skus: Vec<SkuDef>,
    pub promotions: Vec<PromoDef>,
}

fn ean13(n: u64) -> String {
    // GS1 check digit: weights 1,3 alternating from the left over 12 digits.
    let body = format!("{:012}", 200_000_000_000 + n % 100_000_000_000);
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn round_price(p: f64) -> f64 {
    // Shop prices end in .99 or .49 / .00 for larger ones.
    if p < 20.0 {
        (p.floor() + 0.99).max(0.99)
    } else if p < 100.0 {
        p.floor() + if p.fract() < 0.5 { 0.49 } else { 0.99 }
    } else {
        (p / 5.0).round() * 5.0
    }
}

pub fn build(cfg: &DemoConfig) -> Catalog {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x00C0_FFEE);
    let start = cfg.end_date - Days::new(u64::from(cfg.days) - 1);
    let weights: Vec<f64> = CATEGORIES.iter().map(|c| c.weight).collect();
    let total_w: f64 = weights.iter().sum();
    // Demand per SKU: heavy-tailed (a few best sellers, a long tail of slow movers).
    let rate_dist = LogNormal::new(-0.95, 1.6).unwrap_or_else(|_| unreachable!());
    let trend_dist = Normal::new(0.08, 0.25).unwrap_or_else(|_| unreachable!());

    let mut products = Vec::new();
    let mut skus: Vec<SkuDef> = Vec::with_capacity(cfg.skus);
    while skus.len() < cfg.skus {
        let mut pick = rng.gen::<f64>() * total_w;
        let mut category = 0;
        for (i, w) in weights.iter().enumerate() {
            if pick < *w {
                category = i;
                break;
            }
            pick -= w;
        }
        let cat = &CATEGORIES[category];
        let product = products.len();
        let adjective = ADJECTIVES[rng.gen_range(0..ADJECTIVES.len())];
        let noun = cat.nouns[rng.gen_range(0..cat.nouns.len())];
        let vendor = cat.brands[rng.gen_range(0..cat.brands.len())];
        products.push(ProductDef {
            title: format!("{adjective} {noun}"),
            category,
            vendor,
        });

        let (lo, hi) = cat.price;
        let base_price = round_price(lo * (hi / lo).powf(rng.gen::<f64>()));
        let supplier = cat.suppliers[rng.gen_range(0..cat.suppliers.len())];
        // Cheaper items sell more: scale the drawn rate down with price.
        let popularity = rate_dist.sample(&mut rng) * (30.0 / base_price).powf(0.35);
        let trend: f64 = trend_dist.sample(&mut rng);
        let trend = trend.clamp(-0.5, 0.8);
        let elasticity = rng.gen_range(1.5..3.5);
        // Life cycle: most products predate the history; some launch during it, a few in the
        // last 60 days; some are being discontinued.
        let life = rng.gen::<f64>();
        let created = if life < 0.04 {
            cfg.end_date - Days::new(rng.gen_range(3..60))
        } else if life < 0.16 {
            start + Days::new(rng.gen_range(30..u64::from(cfg.days).saturating_sub(60).max(31)))
        } else {
            start - Days::new(rng.gen_range(30..900))
        };
        let discontinue = if life > 0.94 && created < start {
            // Half already discontinued (in the last 6 months), half announced for the next 60 days.
            Some(if rng.gen_bool(0.5) {
                cfg.end_date - Days::new(rng.gen_range(20..180))
            } else {
                cfg.end_date + Days::new(rng.gen_range(10..60))
            })
        } else {
            None
        };
        let has_sizes = matches!(cat.name, "Apparel" | "Knitwear" | "Footwear");
        let n_variants = if has_sizes {
            rng.gen_range(2..=4)
        } else {
            rng.gen_range(1..=3)
        };
        let colors: Vec<&str> = COLORS.choose_multiple(&mut rng, 4).copied().collect();
        for v in 0..n_variants {
            if skus.len() >= cfg.skus {
                break;
            }
            let idx = skus.len();
            let mut attributes: Vec<(&str, String)> = Vec::new();
            let mut title_parts = Vec::new();
            if has_sizes {
                let size = if cat.name == "Footwear" {
                    format!("{}", 7 + 2 * v)
                } else {
                    SIZES[v % SIZES.len()].to_string()
                };
                attributes.push(("size", size.clone()));
                title_parts.push(size);
            } else if n_variants > 1 || rng.gen_bool(0.5) {
                let color = colors[v % colors.len()].to_string();
                attributes.push(("color", color.clone()));
                title_parts.push(color);
            }
            attributes.push((
                "material",
                ["cotton", "wool", "steel", "wood", "recycled"][rng.gen_range(0..5)].to_string(),
            ));
            let price = if v > 0 && rng.gen_bool(0.2) {
                round_price(base_price * 1.1)
            } else {
                base_price
            };
            let cost = (price * rng.gen_range(0.32..0.58) * 100.0).round() / 100.0;
            // Middle sizes sell best.
            let size_weight = if has_sizes {
                [0.7, 1.3, 1.1, 0.6][v % 4]
            } else {
                1.0 / (1.0 + v as f64 * 0.5)
            };
            let rate = popularity * size_weight;
            let retail = rng.gen::<f64>() < cat.retail_share;
            let west = rate > 0.4 && rng.gen::<f64>() < 0.8;
            let mut locations = vec![(0usize, if west { 0.55 } else { 1.0 })];
            if west {
                locations.push((1, 0.45));
            }
            let mut online_total = 0.8;
            if !retail {
                online_total = 1.0;
            }
            for l in &mut locations {
                l.1 *= online_total;
            }
            if retail {
                locations.push((2, 0.2));
            }
            let code = format!(
                "{}-{:04}{}",
                &cat.name[..3].to_uppercase(),
                product,
                if title_parts.is_empty() {
                    String::new()
                } else {
                    format!("-{}", title_parts.join("-").to_uppercase())
                }
            );
            skus.push(SkuDef {
                code,
                title: title_parts.join(" / "),
                product,
                category,
                supplier,
                price,
                cost,
                barcode: ean13(cfg.seed.wrapping_mul(1_000_003).wrapping_add(idx as u64)),
                attributes,
                created,
                discontinue,
                rate,
                trend,
                elasticity,
                locations,
            });
        }
    }

    let promotions = build_promotions(&mut rng, cfg, start, &skus);
    Catalog {
        start,
        products,
        skus,
        promotions,
    }
}

fn build_promotions(
    rng: &mut ChaCha8Rng,
    cfg: &DemoConfig,
    start: NaiveDate,
    skus: &[SkuDef],
) -> Vec<PromoDef> {
    let mut promos = Vec::new();
    let end = cfg.end_date;
    // Black Friday to Cyber Monday, store-wide, every year in range (and the coming one).
    for year in start.year()..=end.year() + 1 {
        let nov1 = NaiveDate::from_ymd_opt(year, 11, 1).unwrap_or(start);
        let to_thu = (3 + 7 - nov1.weekday().num_days_from_monday() as u64) % 7; // first Thursday
        let thanksgiving = nov1 + Days::new(to_thu + 21);
        let bf = thanksgiving + Days::new(1);
        if bf + Days::new(3) >= start && bf <= end + Days::new(60) {
            promos.push(PromoDef {
                name: format!("Black Friday {year}"),
                start: bf,
                end: bf + Days::new(3),
                discount_pct: 25.0,
                scope: PromoScope::All,
            });
        }
        let summer = NaiveDate::from_ymd_opt(year, 7, 8).unwrap_or(start);
        if summer >= start && summer <= end {
            promos.push(PromoDef {
                name: format!("Summer outdoor sale {year}"),
                start: summer,
                end: summer + Days::new(9),
                discount_pct: 20.0,
                scope: PromoScope::Category(3),
            });
        }
        let spring = NaiveDate::from_ymd_opt(year, 3, 15).unwrap_or(start);
        if spring >= start && spring <= end {
            promos.push(PromoDef {
                name: format!("Spring apparel refresh {year}"),
                start: spring,
                end: spring + Days::new(6),
                discount_pct: 15.0,
                scope: PromoScope::Category(0),
            });
        }
    }
    // Flash promotions on single SKUs, biased to sellers with some volume.
    let candidates: Vec<usize> = (0..skus.len()).filter(|&i| skus[i].rate > 0.15).collect();
    let n_flash = (skus.len() / 25).clamp(4, 400);
    for k in 0..n_flash {
        if candidates.is_empty() {
            break;
        }
        let sku = candidates[rng.gen_range(0..candidates.len())];
        let begin = start + Days::new(rng.gen_range(30..u64::from(cfg.days) - 10));
        let len = rng.gen_range(3..8);
        let discount = [15.0, 20.0, 25.0, 30.0][rng.gen_range(0..4)];
        promos.push(PromoDef {
            name: format!("Flash sale #{}: {}", k + 1, skus[sku].code),
            start: begin,
            end: begin + Days::new(len - 1),
            discount_pct: discount,
            scope: PromoScope::Sku(sku),
        });
    }
    // Planned promotions the planner must prepare for.
    promos.push(PromoDef {
        name: "Holiday knitwear event".into(),
        start: end + Days::new(14),
        end: end + Days::new(24),
        discount_pct: 20.0,
        scope: PromoScope::Category(1),
    });
    for k in 0..3.min(candidates.len()) {
        let sku = candidates[(k * 7919) % candidates.len()];
        let begin = end + Days::new(7 + 9 * k as u64);
        promos.push(PromoDef {
            name: format!("Planned feature: {}", skus[sku].code),
            start: begin,
            end: begin + Days::new(4),
            discount_pct: 20.0,
            scope: PromoScope::Sku(sku),
        });
    }
    promos
}
