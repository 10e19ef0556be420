//! The SKU chart, drawn with plotters from forestock-api's read model
//! ([`forestock_api::chart::ChartModel`]): above, units sold per day or ISO week on real dates
//! with stockout and promotion days marked, past forecasts against what sold, and the latest
//! forecast's mean with its p10–p90 band; below, stock on hand and its projection over the
//! horizon with the safety stock and reorder point lines and incoming orders marked. SVG in the
//! app and for export; PNG for export through the bitmap backend (its text is rasterised with
//! the system's sans-serif font, found through fontconfig on Linux).

use chrono::{Days, NaiveDate};
use forestock_api::chart::{ChartModel, Granularity};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Render the chart as an SVG document; `Err` carries plotters' message.
pub fn render(m: &ChartModel, width: u32, height: u32) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw(&root, m)?;
    }
    Ok(svg)
}

/// Render the chart as a PNG image (8-bit RGB).
pub fn render_png(m: &ChartModel, width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        draw(&root, m)?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|e| e.to_string())?;
        w.write_image_data(&rgb).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

const DEMAND: RGBColor = RGBColor(31, 111, 74);
const STOCK: RGBColor = RGBColor(26, 95, 208);
const FORECAST: RGBColor = RGBColor(106, 61, 154);
const PAST: RGBColor = RGBColor(214, 120, 20);
const STOCKOUT: RGBColor = RGBColor(200, 40, 40);
const PROMO: RGBColor = RGBColor(240, 192, 96);
const REORDER: RGBColor = RGBColor(230, 150, 0);
const INCOMING: RGBColor = RGBColor(0, 128, 128);

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, m: &ChartModel) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let dates = m
        .history
        .iter()
        .map(|p| p.date)
        .chain(m.forecast.iter().map(|p| p.date))
        .chain(m.projection.iter().map(|p| p.date));
    let (Some(base), Some(last)) = (dates.clone().min(), dates.max()) else {
        root.draw(&Text::new(
            format!("{}: no history yet", m.title),
            (10, 10),
            ("sans-serif", 16),
        ))
        .map_err(err)?;
        return root.present().map_err(err);
    };
    let period = match m.granularity {
        Granularity::Daily => 1.0,
        Granularity::Weekly => 7.0,
    };
    let x = |d: NaiveDate| (d - base).num_days() as f64;
    let mid = |d: NaiveDate| x(d) + period / 2.0;
    let x_end = x(last) + period;
    let label = move |v: &f64| {
        let d = base + Days::new(v.max(0.0).round() as u64);
        d.format("%d %b %y").to_string()
    };
    let unit = match m.granularity {
        Granularity::Daily => "units per day",
        Granularity::Weekly => "units per ISO week",
    };
    let root = root
        .titled(&format!("{} ({unit})", m.title), ("sans-serif", 16))
        .map_err(err)?;
    let split = i32::try_from(root.dim_in_pixel().1).unwrap_or(300) * 58 / 100;
    let (top, bottom) = root.split_vertically(split);

    // Demand: history, past forecasts, the latest forecast and its band.
    let y_top = m
        .history
        .iter()
        .map(|p| p.units)
        .chain(m.forecast.iter().map(|p| p.p90.max(p.mean)))
        .chain(m.past_forecast.iter().map(|p| p.forecast))
        .fold(1.0_f64, f64::max)
        * 1.12;
    let mut c = ChartBuilder::on(&top)
        .margin(8)
        .x_label_area_size(22)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..x_end, 0.0..y_top)
        .map_err(err)?;
    c.configure_mesh()
        .disable_x_mesh()
        .x_labels(8)
        .x_label_formatter(&label)
        .y_desc(unit)
        .draw()
        .map_err(err)?;
    let promo_style = PROMO.mix(0.3).filled();
    let promos: Vec<f64> = m
        .history
        .iter()
        .filter(|p| p.promo_days > 0)
        .map(|p| x(p.date))
        .chain(m.forecast.iter().filter(|p| p.promo).map(|p| x(p.date)))
        .collect();
    let a = c
        .draw_series(
            promos
                .iter()
                .map(|x0| Rectangle::new([(*x0, 0.0), (x0 + period, y_top)], promo_style)),
        )
        .map_err(err)?;
    if !promos.is_empty() {
        a.label("promotion")
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], promo_style));
    }
    let stockouts: Vec<f64> = m
        .history
        .iter()
        .filter(|p| p.stockout_days > 0)
        .map(|p| x(p.date))
        .collect();
    let a =
        c.draw_series(stockouts.iter().map(|x0| {
            Rectangle::new([(*x0, 0.0), (x0 + period, y_top * 0.04)], STOCKOUT.filled())
        }))
        .map_err(err)?;
    if !stockouts.is_empty() {
        a.label("stockout")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], STOCKOUT.filled()));
    }
    if !m.forecast.is_empty() {
        let mut band: Vec<(f64, f64)> = m.forecast.iter().map(|p| (mid(p.date), p.p90)).collect();
        band.extend(m.forecast.iter().rev().map(|p| (mid(p.date), p.p10)));
        let band_style = FORECAST.mix(0.18).filled();
        c.draw_series(std::iter::once(Polygon::new(band, band_style)))
            .map_err(err)?
            .label("forecast p10–p90")
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], band_style));
    }
    c.draw_series(LineSeries::new(
        m.history.iter().map(|p| (mid(p.date), p.units)),
        DEMAND.stroke_width(1),
    ))
    .map_err(err)?
    .label("units sold")
    .legend(|(x, y)| PathElement::new([(x, y), (x + 12, y)], DEMAND));
    if !m.past_forecast.is_empty() {
        c.draw_series(DashedLineSeries::new(
            m.past_forecast
                .iter()
                .map(|p| (mid(p.date), p.forecast))
                .collect::<Vec<_>>(),
            5,
            3,
            PAST.stroke_width(2),
        ))
        .map_err(err)?
        .label("past forecast")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 12, y)], PAST.stroke_width(2)));
    }
    if !m.forecast.is_empty() {
        c.draw_series(LineSeries::new(
            m.forecast.iter().map(|p| (mid(p.date), p.mean)),
            FORECAST.stroke_width(2),
        ))
        .map_err(err)?
        .label("forecast mean")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 12, y)], FORECAST.stroke_width(2)));
    }
    if let Some(t) = m.today {
        let xt = x(t) + 1.0;
        c.draw_series(std::iter::once(PathElement::new(
            [(xt, 0.0), (xt, y_top)],
            BLACK.mix(0.4),
        )))
        .map_err(err)?;
    }
    c.configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(err)?;

    // Stock: on hand, its projection, safety stock, reorder point, incoming orders.
    let y_stock = m
        .history
        .iter()
        .filter_map(|p| p.on_hand.map(|v| v as f64))
        .chain(m.projection.iter().map(|p| p.on_hand))
        .chain(m.safety_stock)
        .chain(m.reorder_point)
        .fold(1.0_f64, f64::max)
        * 1.2;
    let mut s = ChartBuilder::on(&bottom)
        .margin(8)
        .x_label_area_size(22)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..x_end, 0.0..y_stock)
        .map_err(err)?;
    s.configure_mesh()
        .disable_x_mesh()
        .x_labels(8)
        .x_label_formatter(&label)
        .y_desc("units on hand")
        .draw()
        .map_err(err)?;
    s.draw_series(LineSeries::new(
        m.history
            .iter()
            .filter_map(|p| p.on_hand.map(|v| (x(p.date) + f64::from(p.days), v as f64))),
        STOCK.stroke_width(2),
    ))
    .map_err(err)?
    .label("on hand")
    .legend(|(x, y)| PathElement::new([(x, y), (x + 12, y)], STOCK.stroke_width(2)));
    if m.projection.len() > 1 {
        s.draw_series(DashedLineSeries::new(
            m.projection
                .iter()
                .map(|p| (x(p.date) + 1.0, p.on_hand))
                .collect::<Vec<_>>(),
            6,
            3,
            STOCK.stroke_width(2),
        ))
        .map_err(err)?
        .label("projected on hand")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 5, y)], STOCK.stroke_width(2)));
    }
    for (value, name, color) in [
        (m.safety_stock, "safety stock", STOCKOUT),
        (m.reorder_point, "reorder point", REORDER),
    ] {
        if let Some(v) = value {
            s.draw_series(DashedLineSeries::new(
                vec![(0.0, v), (x_end, v)],
                8,
                4,
                color.stroke_width(1),
            ))
            .map_err(err)?
            .label(format!("{name} {v:.0}"))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 12, y)], color));
        }
    }
    if !m.incoming.is_empty() {
        let level_at = |d: NaiveDate| {
            m.projection
                .iter()
                .rev()
                .find(|p| p.date <= d)
                .map_or(0.0, |p| p.on_hand)
        };
        s.draw_series(m.incoming.iter().map(|inc| {
            let d = if inc.overdue {
                m.today.map_or(inc.date, |t| t + Days::new(1))
            } else {
                inc.date
            };
            EmptyElement::at((x(d) + 0.5, level_at(d)))
                + TriangleMarker::new((0, 0), 6, INCOMING.filled())
                + Text::new(
                    format!("{} +{}", inc.reference, inc.quantity),
                    (-20, -20),
                    ("sans-serif", 11).into_font().color(&INCOMING),
                )
        }))
        .map_err(err)?
        .label("incoming order")
        .legend(|(x, y)| TriangleMarker::new((x + 6, y), 5, INCOMING.filled()));
    }
    if let Some(t) = m.today {
        let xt = x(t) + 1.0;
        s.draw_series(std::iter::once(PathElement::new(
            [(xt, 0.0), (xt, y_stock)],
            BLACK.mix(0.4),
        )))
        .map_err(err)?;
    }
    s.configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_api::chart::{
        ForecastPoint, HistoryPoint, Incoming, PastForecastPoint, ProjectionPoint,
    };

    fn model() -> ChartModel {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let day = |i: u64| start + Days::new(i);
        let history: Vec<HistoryPoint> = (0..120)
            .map(|i| HistoryPoint {
                date: day(i),
                days: 1,
                units: (i % 7) as f64,
                on_hand: Some(100 - i as i64 / 2),
                stockout_days: u32::from(i > 115),
                promo_days: u32::from((30..37).contains(&i)),
            })
            .collect();
        let forecast: Vec<ForecastPoint> = (120..150)
            .map(|i| ForecastPoint {
                date: day(i),
                days: 1,
                mean: 3.0,
                p10: 1.0,
                p90: 6.0,
                promo: false,
            })
            .collect();
        let projection: Vec<ProjectionPoint> = (119..150)
            .map(|i| ProjectionPoint {
                date: day(i),
                on_hand: (60.0 - 3.0 * (i - 119) as f64).max(0.0),
            })
            .collect();
        ChartModel {
            title: "TEE-1 at WH1".into(),
            sku: "TEE-1".into(),
            location: "WH1".into(),
            granularity: Granularity::Daily,
            today: Some(day(119)),
            history,
            forecast,
            past_forecast: (100..120)
                .map(|i| PastForecastPoint {
                    date: day(i),
                    days: 1,
                    forecast: 3.0,
                    actual: (i % 7) as f64,
                    run_id: 1,
                })
                .collect(),
            past_wape: Some(0.4),
            projection,
            incoming: vec![Incoming {
                date: day(130),
                quantity: 40,
                reference: "PO-0007".into(),
                overdue: false,
            }],
            safety_stock: Some(12.0),
            reorder_point: Some(30.0),
            forecast_info: None,
            rationale: vec![],
        }
    }

    #[test]
    fn renders_an_svg_with_dates_band_and_stock_lines() {
        let svg = render(&model(), 900, 420).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("TEE-1 at WH1"));
        for label in [
            "forecast p10–p90",
            "forecast mean",
            "past forecast",
            "units sold",
            "on hand",
            "projected on hand",
            "safety stock 12",
            "reorder point 30",
            "incoming order",
            "PO-0007 +40",
            "promotion",
            "stockout",
        ] {
            assert!(svg.contains(label), "no {label:?} in the SVG");
        }
        // Real dates on the x axis, not day numbers.
        assert!(svg.contains("Jan 26"), "no dated x labels");
    }

    #[test]
    fn renders_a_png_with_text_and_lines() {
        let png = render_png(&model(), 600, 400).unwrap();
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        let info = decoder.info();
        assert_eq!((info.width, info.height), (600, 400));
        let mut buf = vec![0; decoder.output_buffer_size().unwrap()];
        decoder.next_frame(&mut buf).unwrap();
        // The demand line's green and the stock line's blue are drawn, and the caption's dark
        // text pixels are there (the font was found and rasterised).
        let px: Vec<&[u8]> = buf.chunks(3).collect();
        assert!(px.iter().any(|p| *p == [31, 111, 74]), "no demand line");
        assert!(px.iter().any(|p| *p == [26, 95, 208]), "no stock line");
        assert!(px.iter().any(|p| *p == [106, 61, 154]), "no forecast line");
        let caption_dark = buf
            .chunks(3)
            .take(600 * 30)
            .filter(|p| p.iter().all(|c| *c < 100))
            .count();
        assert!(
            caption_dark > 20,
            "no caption text ({caption_dark} dark pixels)"
        );
    }

    #[test]
    fn a_model_without_history_draws_a_note() {
        let mut m = model();
        m.history.clear();
        m.forecast.clear();
        m.projection.clear();
        let svg = render(&m, 400, 200).unwrap();
        assert!(svg.contains("no history yet"));
    }
}
