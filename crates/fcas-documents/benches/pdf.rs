//! PDF keyword scan and whole-analysis throughput on a large document:
//! `cargo bench -p fcas-documents --bench pdf`.
//!
//! The document is built here by repeating the objects of a real page (catalog, page, font,
//! annotation with a link, a compressed content stream, an image-like binary stream) until it
//! passes 64 MiB, so that the keyword scan, the object search and the walk all see the mix of
//! dictionaries and stream data a real file has.
use std::io::Write;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fcas_documents::{analyze, DocLimits};
use fcas_report::Format;

// The keyword scan alone: its module needs only the hex digits beside it.
#[allow(dead_code)]
#[path = "../src/formats/pdf/hex.rs"]
mod hex;
#[allow(dead_code)]
#[path = "../src/formats/pdf/keywords.rs"]
mod keywords;

const TARGET: usize = 64 << 20;

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

fn stream(number: usize, dictionary: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("{number} 0 obj\n<< {dictionary} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    out
}

fn large_pdf() -> Vec<u8> {
    let text: Vec<u8> = (0..400)
        .flat_map(|line| {
            format!("BT /F1 12 Tf 72 {} Td (Line {line} of the page, some text to show) Tj ET\n", 720 - line % 700).into_bytes()
        })
        .collect();
    let content = zlib(&text);
    // Pseudo-random bytes stand for image data: incompressible, like a JPEG.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let image: Vec<u8> = (0..200_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>\nendobj\n".to_vec();
    let mut number = 10;
    while pdf.len() < TARGET {
        pdf.extend(format!("{number} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 {} 0 R >> /XObject << /Im1 {} 0 R >> >> /Contents {} 0 R /Annots [{} 0 R] >>\nendobj\n", number + 1, number + 4, number + 2, number + 3).into_bytes());
        pdf.extend(
            format!("{} 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n", number + 1)
                .into_bytes(),
        );
        pdf.extend(stream(number + 2, "/Filter /FlateDecode", &content));
        pdf.extend(format!("{} 0 obj\n<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] /A << /S /URI /URI (https://example.org/page{number}) >> >>\nendobj\n", number + 3).into_bytes());
        pdf.extend(stream(
            number + 4,
            "/Type /XObject /Subtype /Image /Width 400 /Height 500 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
            &image,
        ));
        number += 5;
    }
    pdf.extend(b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Root 1 0 R >>\nstartxref\n0\n%%EOF\n");
    pdf
}

/// The worst case for the scan: nothing but dictionaries, a name every few bytes.
fn dictionaries_only() -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut number = 1;
    while pdf.len() < TARGET {
        pdf.extend(format!("{number} 0 obj\n<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] /Border [0 0 0] /A << /S /URI /URI (https://example.org/page{number}) >> /P 3 0 R >>\nendobj\n").into_bytes());
        number += 1;
    }
    pdf
}

fn bench(c: &mut Criterion) {
    let pdf = large_pdf();
    let dictionaries = dictionaries_only();
    let limits = DocLimits { max_items: 1_000_000, ..DocLimits::default() };
    let mut group = c.benchmark_group("pdf");
    group.throughput(Throughput::Bytes(pdf.len() as u64));
    group.sample_size(10);
    group.bench_function("keywords_64mib", |b| b.iter(|| keywords::count_file(&pdf)));
    group.bench_function("analyze_64mib", |b| b.iter(|| analyze(Format::Pdf, &pdf, &limits)));
    group.finish();
    let mut group = c.benchmark_group("pdf_dictionaries");
    group.throughput(Throughput::Bytes(dictionaries.len() as u64));
    group.sample_size(10);
    group.bench_function("keywords_64mib", |b| b.iter(|| keywords::count_file(&dictionaries)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
