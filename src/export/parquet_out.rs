//! A [`Table`] as a Parquet file, typed: text as UTF-8 strings, dates as
//! `DATE`, amounts as `DECIMAL(38, 6)`, counts as `INT64`. Written with
//! the parquet crate's column writers (no Arrow): one row group, no
//! compression, so a file is the same bytes for the same model.

use super::table::{Cell, Kind, Table, DECIMAL_PRECISION, DECIMAL_SCALE};
use parquet::basic::Compression;
use parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, FixedLenByteArray, FixedLenByteArrayType, Int32Type,
    Int64Type,
};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::sync::Arc;

/// The schema in Parquet's message syntax. Every column but booleans may
/// be null.
pub fn schema(table: &Table) -> String {
    let mut s = format!("message {} {{\n", table.name);
    for (name, kind) in &table.columns {
        let field = match kind {
            Kind::Text => format!("optional binary {name} (STRING);"),
            Kind::Int => format!("optional int64 {name};"),
            Kind::Bool => format!("required boolean {name};"),
            Kind::Date => format!("optional int32 {name} (DATE);"),
            Kind::Decimal => format!(
                "optional fixed_len_byte_array(16) {name} (DECIMAL({DECIMAL_PRECISION}, {DECIMAL_SCALE}));"
            ),
        };
        s.push_str("  ");
        s.push_str(&field);
        s.push('\n');
    }
    s.push('}');
    s
}

/// The file's bytes.
pub fn write(table: &Table) -> Result<Vec<u8>, parquet::errors::ParquetError> {
    let schema = Arc::new(parse_message_type(&schema(table))?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::UNCOMPRESSED)
            // The writer's version in the footer would make the bytes
            // differ between builds; name the producer only.
            .set_created_by("rel export".to_string())
            .build(),
    );
    let mut out = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut out, schema, props)?;
    let mut group = writer.next_row_group()?;
    let mut index = 0;
    while let Some(mut column) = group.next_column()? {
        let cells = table.rows.iter().map(|r| &r[index]);
        match table.columns[index].1 {
            Kind::Text => {
                let (values, defs) = split(cells, |c| match c {
                    Cell::Text(t) => t.as_ref().map(|t| ByteArray::from(t.as_bytes().to_vec())),
                    _ => None,
                });
                column
                    .typed::<ByteArrayType>()
                    .write_batch(&values, Some(&defs), None)?;
            }
            Kind::Int => {
                let (values, defs) = split(cells, |c| match c {
                    Cell::Int(i) => *i,
                    _ => None,
                });
                column
                    .typed::<Int64Type>()
                    .write_batch(&values, Some(&defs), None)?;
            }
            Kind::Bool => {
                let values: Vec<bool> = cells.map(|c| matches!(c, Cell::Bool(true))).collect();
                column
                    .typed::<BoolType>()
                    .write_batch(&values, None, None)?;
            }
            Kind::Date => {
                let (values, defs) = split(cells, |c| match c {
                    Cell::Date(d) => *d,
                    _ => None,
                });
                column
                    .typed::<Int32Type>()
                    .write_batch(&values, Some(&defs), None)?;
            }
            Kind::Decimal => {
                // Parquet decimals in fixed bytes are big-endian two's
                // complement.
                let (values, defs) = split(cells, |c| match c {
                    Cell::Decimal(d) => {
                        d.map(|v| FixedLenByteArray::from(v.to_be_bytes().to_vec()))
                    }
                    _ => None,
                });
                column
                    .typed::<FixedLenByteArrayType>()
                    .write_batch(&values, Some(&defs), None)?;
            }
        }
        column.close()?;
        index += 1;
    }
    group.close()?;
    writer.close()?;
    Ok(out)
}

/// The present values of a column and each row's definition level (1
/// present, 0 null), as Parquet's column writers take them.
fn split<'a, T>(
    cells: impl Iterator<Item = &'a Cell>,
    value: impl Fn(&Cell) -> Option<T>,
) -> (Vec<T>, Vec<i16>) {
    let mut values = Vec::new();
    let mut defs = Vec::new();
    for c in cells {
        match value(c) {
            Some(v) => {
                values.push(v);
                defs.push(1);
            }
            None => defs.push(0),
        }
    }
    (values, defs)
}
