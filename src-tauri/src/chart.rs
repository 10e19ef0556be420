//! The SKU chart, drawn with plotters: daily demand history, end-of-day stock and promotion
//! days. SVG in the app and for export; PNG for export through the bitmap backend (its text is
//! rasterised with the system's sans-serif font, found through fontconfig on Linux).

use plotters::coord::Shift;
use plotters::prelude::*;

pub struct ChartSeries<'a> {
    pub title: &'a str,
    pub units: &'a [f64],
    pub on_hand: &'a [Option<i64>],
    pub promo: &'a [bool],
    /// Days of history shown (the tail of the series).
    pub days: usize,
}

/// Render the chart as an SVG document; `Err` carries plotters' message.
pub fn render(s: &ChartSeries<'_>, width: u32, height: u32) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw(&root, s)?;
    }
    Ok(svg)
}

/// Render the chart as a PNG image (8-bit RGB).
pub fn render_png(s: &ChartSeries<'_>, width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        draw(&root, s)?;
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

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &ChartSeries<'_>,
) -> Result<(), String> {
    let n = s.units.len();
    let from = n.saturating_sub(s.days);
    let units = &s.units[from..];
    let stock: Vec<Option<i64>> = s.on_hand[from..].to_vec();
    let y_units = units.iter().copied().fold(1.0_f64, f64::max) * 1.1;
    let y_stock = stock.iter().flatten().copied().max().unwrap_or(1).max(1) as f64 * 1.1;
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut chart = ChartBuilder::on(root)
        .caption(s.title, ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .right_y_label_area_size(50)
        .build_cartesian_2d(0..units.len(), 0.0..y_units)
        .map_err(|e| e.to_string())?
        .set_secondary_coord(0..units.len(), 0.0..y_stock);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(format!("last {} days", units.len()))
        .y_desc("units sold per day")
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .configure_secondary_axes()
        .y_desc("on hand")
        .draw()
        .map_err(|e| e.to_string())?;
    let promo = RGBColor(240, 192, 96).mix(0.25);
    chart
        .draw_series(
            s.promo[from..]
                .iter()
                .enumerate()
                .filter(|(_, p)| **p)
                .map(|(i, _)| Rectangle::new([(i, 0.0), (i + 1, y_units)], promo.filled())),
        )
        .map_err(|e| e.to_string())?
        .label("promotion")
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], promo.filled()));
    let demand = RGBColor(31, 111, 74);
    chart
        .draw_series(LineSeries::new(
            units.iter().enumerate().map(|(i, u)| (i, *u)),
            demand.stroke_width(1),
        ))
        .map_err(|e| e.to_string())?
        .label("units sold")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 12, y)], demand));
    let stock_color = RGBColor(26, 95, 208);
    chart
        .draw_secondary_series(LineSeries::new(
            stock
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i, v as f64))),
            stock_color.stroke_width(2),
        ))
        .map_err(|e| e.to_string())?
        .label("on hand")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 12, y)], stock_color));
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_an_svg_with_the_series() {
        let units: Vec<f64> = (0..120).map(|i| (i % 7) as f64).collect();
        let on_hand: Vec<Option<i64>> = (0..120).map(|i| Some(100 - i as i64 / 2)).collect();
        let promo: Vec<bool> = (0..120).map(|i| (30..37).contains(&i)).collect();
        let svg = render(
            &ChartSeries {
                title: "TEE-1 at WH1",
                units: &units,
                on_hand: &on_hand,
                promo: &promo,
                days: 90,
            },
            800,
            320,
        )
        .unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("TEE-1 at WH1"));
        assert!(svg.contains("on hand"));
    }

    #[test]
    fn renders_a_png_with_text_and_lines() {
        let units: Vec<f64> = (0..120).map(|i| (i % 7) as f64).collect();
        let on_hand: Vec<Option<i64>> = (0..120).map(|i| Some(100 - i as i64 / 2)).collect();
        let promo = vec![false; 120];
        let png = render_png(
            &ChartSeries {
                title: "TEE-1 at WH1",
                units: &units,
                on_hand: &on_hand,
                promo: &promo,
                days: 90,
            },
            400,
            200,
        )
        .unwrap();
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        let info = decoder.info();
        assert_eq!((info.width, info.height), (400, 200));
        let mut buf = vec![0; decoder.output_buffer_size().unwrap()];
        decoder.next_frame(&mut buf).unwrap();
        // The demand line's green and the stock line's blue are drawn, and the caption's dark
        // text pixels are there (the font was found and rasterised).
        let px: Vec<&[u8]> = buf.chunks(3).collect();
        assert!(px.iter().any(|p| *p == [31, 111, 74]), "no demand line");
        assert!(px.iter().any(|p| *p == [26, 95, 208]), "no stock line");
        let caption_dark = buf
            .chunks(3)
            .take(400 * 30)
            .filter(|p| p.iter().all(|c| *c < 100))
            .count();
        assert!(
            caption_dark > 20,
            "no caption text ({caption_dark} dark pixels)"
        );
    }
}
