//! The report's charts, drawn by plotters' SVG backend. Each chart also
//! returns where its marks fell, as fractions of its width and height, so
//! the page can lay links and hover labels over them: plotters draws
//! shapes, and the page's own elements carry the text and the links.

use plotters::coord::Shift;
use plotters::prelude::*;

/// A chart's SVG and the place of each mark on it.
pub struct Chart {
    pub svg: String,
    /// `(x, y)` of each mark, as a fraction of the chart's size.
    pub marks: Vec<(f64, f64)>,
    /// Width over height, for the page to keep the chart's shape.
    pub aspect: f64,
}

/// How a mark is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Something that happened: a filled dot.
    Filled,
    /// Planned or postponed: a ring.
    Ring,
    /// Cancelled: a cross.
    Cross,
    /// A figure a diagnostic is about: a larger red dot.
    Flagged,
}

/// One mark: where, how, in which colour.
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub shape: Shape,
    pub color: RGBColor,
}

const WIDTH: u32 = 960;
const FONT: &str = "sans-serif";
const INK: RGBColor = RGBColor(40, 44, 52);
const GRID: RGBColor = RGBColor(225, 228, 232);
pub const RED: RGBColor = RGBColor(200, 40, 40);

/// A tick's label: the year at a year's start, nothing between years
/// (plotters puts ticks at half years on short ranges).
fn year_label(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-6 {
        format!("{:.0}", x)
    } else {
        String::new()
    }
}

/// A chart's x range from the years its marks cover, a little wider so
/// marks at the ends are not cut.
pub fn year_range(xs: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = xs.fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(x), hi.max(x)));
    if lo > hi {
        return (2000.0, 2001.0);
    }
    let pad = ((hi - lo) * 0.03).max(0.5);
    (lo - pad, hi + pad)
}

fn draw_mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (px, py): (i32, i32),
    m: &Mark,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    match m.shape {
        Shape::Filled => area.draw(&Circle::new((px, py), 5, m.color.filled())),
        Shape::Ring => area.draw(&Circle::new((px, py), 5, m.color.stroke_width(2))),
        Shape::Cross => area.draw(&Cross::new((px, py), 5, m.color.stroke_width(2))),
        Shape::Flagged => {
            area.draw(&Circle::new((px, py), 8, RED.mix(0.25).filled()))?;
            area.draw(&Circle::new((px, py), 5, RED.filled()))
        }
    }
}

/// A chart of named rows over years: the timeline's lanes and the
/// staircase's rungs share this frame (grid, year ticks, a faint line and
/// a name for each row); `draw` adds what the chart shows and returns where
/// its marks fell.
type Rows<'a> = ChartContext<
    'a,
    SVGBackend<'a>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn rows_chart(
    names: &[String],
    label_width: u32,
    height: u32,
    (x0, x1): (f64, f64),
    y_pad: f64,
    font_size: u32,
    draw: impl FnOnce(
        &mut Rows<'_>,
        &DrawingArea<SVGBackend<'_>, Shift>,
    ) -> Result<Vec<(i32, i32)>, String>,
) -> Result<Chart, String> {
    let mut svg = String::new();
    let places;
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(label_width)
            .build_cartesian_2d(x0..x1, -y_pad..(names.len() as f64 - 1.0 + y_pad))
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(10)
            .x_label_formatter(&year_label)
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FONT, 13).into_font().color(&INK))
            .draw()
            .map_err(|e| e.to_string())?;
        // A faint line along each row, its name at its left.
        for (i, name) in names.iter().enumerate() {
            let y = i as f64;
            chart
                .draw_series(LineSeries::new([(x0, y), (x1, y)], GRID.stroke_width(1)))
                .map_err(|e| e.to_string())?;
            let (_, py) = chart.backend_coord(&(x0, y));
            root.draw(&Text::new(
                name.clone(),
                (14, py - 7),
                (FONT, font_size).into_font().color(&INK),
            ))
            .map_err(|e| e.to_string())?;
        }
        places = draw(&mut chart, &root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(finish(svg, places, height))
}

/// The lanes of the timeline: a row per lane, a mark per event on each
/// of its lanes, years along the bottom.
pub fn lanes(lanes: &[String], marks: &[Mark]) -> Result<Chart, String> {
    let label_width = lanes.iter().map(|l| l.chars().count()).max().unwrap_or(4) as u32 * 8 + 16;
    let height = 50 + 34 * lanes.len().max(1) as u32;
    let range = year_range(marks.iter().map(|m| m.x));
    rows_chart(lanes, label_width, height, range, 0.6, 14, |chart, root| {
        let mut places = Vec::new();
        for m in marks {
            let p = chart.backend_coord(&(m.x, m.y));
            draw_mark(root, p, m).map_err(|e| e.to_string())?;
            places.push(p);
        }
        Ok(places)
    })
}

/// A staircase: a relation's level on its ladder over time, one step per
/// change, the rungs named along the left.
pub fn staircase(rungs: &[String], steps: &[Mark], end: f64) -> Result<Chart, String> {
    let label_width = rungs.iter().map(|l| l.chars().count()).max().unwrap_or(4) as u32 * 7 + 20;
    let height = 60 + 30 * rungs.len().max(2) as u32;
    let range = year_range(steps.iter().map(|m| m.x).chain([end]));
    rows_chart(rungs, label_width, height, range, 0.5, 13, |chart, root| {
        // Level holds until the next change: horizontal, then up or down.
        let mut path = Vec::new();
        for (i, s) in steps.iter().enumerate() {
            if i > 0 {
                path.push((s.x, steps[i - 1].y));
            }
            path.push((s.x, s.y));
        }
        if let Some(last) = steps.last() {
            path.push((end.max(last.x), last.y));
        }
        let line = RGBColor(31, 111, 180);
        chart
            .draw_series(LineSeries::new(path, line.stroke_width(3)))
            .map_err(|e| e.to_string())?;
        let mut places = Vec::new();
        for m in steps {
            let p = chart.backend_coord(&(m.x, m.y));
            draw_mark(root, p, m).map_err(|e| e.to_string())?;
            places.push(p);
        }
        Ok(places)
    })
}

/// A figure's values by year: a line through the first value of each
/// year, a mark for every value (flagged ones red), the unit on the left.
pub fn series(unit: &str, points: &[Mark]) -> Result<Chart, String> {
    let height = 300;
    let (x0, x1) = year_range(points.iter().map(|m| m.x));
    let top = points.iter().map(|m| m.y).fold(0f64, f64::max);
    let top = if top > 0.0 { top * 1.12 } else { 1.0 };
    let mut svg = String::new();
    let mut places = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, 0f64..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(6)
            .x_label_formatter(&year_label)
            .y_label_formatter(&|y| short_number(*y))
            .y_desc(unit)
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .axis_style(INK)
            .label_style((FONT, 13).into_font().color(&INK))
            .axis_desc_style((FONT, 13).into_font().color(&INK))
            .draw()
            .map_err(|e| e.to_string())?;
        let mut line: Vec<(f64, f64)> = Vec::new();
        for m in points {
            if line.last().is_none_or(|l| l.0 != m.x) {
                line.push((m.x, m.y));
            }
        }
        chart
            .draw_series(LineSeries::new(
                line,
                RGBColor(31, 111, 180).stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        for m in points {
            let p = chart.backend_coord(&(m.x, m.y));
            draw_mark(&root, p, m).map_err(|e| e.to_string())?;
            places.push(p);
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(finish(svg, places, height))
}

/// `244.8bn` for 244.8e9: axis labels a person reads at a glance.
pub fn short_number(v: f64) -> String {
    let (div, suffix) = match v.abs() {
        a if a >= 1e12 => (1e12, "tn"),
        a if a >= 1e9 => (1e9, "bn"),
        a if a >= 1e6 => (1e6, "m"),
        a if a >= 1e3 => (1e3, "k"),
        _ => (1.0, ""),
    };
    let x = v / div;
    let text = if x.fract().abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    };
    format!("{text}{suffix}")
}

fn finish(svg: String, places: Vec<(i32, i32)>, height: u32) -> Chart {
    Chart {
        svg,
        marks: places
            .into_iter()
            .map(|(x, y)| (x as f64 / WIDTH as f64, y as f64 / height as f64))
            .collect(),
        aspect: WIDTH as f64 / height as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_short() {
        assert_eq!(short_number(244.8e9), "244.8bn");
        assert_eq!(short_number(2000.0), "2k");
        assert_eq!(short_number(12.0), "12");
    }

    #[test]
    fn marks_fall_inside_the_chart() {
        let marks = [
            Mark {
                x: 2013.2,
                y: 0.0,
                shape: Shape::Filled,
                color: INK,
            },
            Mark {
                x: 2019.5,
                y: 1.0,
                shape: Shape::Ring,
                color: INK,
            },
        ];
        let chart = lanes(&["China".into(), "Russia".into()], &marks).unwrap();
        assert!(chart.svg.starts_with("<svg"));
        assert_eq!(chart.marks.len(), 2);
        for &(x, y) in &chart.marks {
            assert!((0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y));
        }
        // Later is further right; the second lane is above the first
        // (lanes count up the y axis).
        assert!(chart.marks[1].0 > chart.marks[0].0);
        assert!(chart.marks[1].1 < chart.marks[0].1);
    }
}
