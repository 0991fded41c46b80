//! The captcha: five digits drawn into a real PNG with a tiny built-in bitmap font and noise.

use std::collections::VecDeque;

use rand_chacha::ChaCha20Rng;
use rand_core::RngCore;
use sha2::{Digest, Sha256};

/// How many digits a captcha has.
const DIGITS: usize = 5;
/// Image size.
const WIDTH: usize = 130;
const HEIGHT: usize = 44;
/// Each font pixel is drawn as a SCALE × SCALE block.
const SCALE: usize = 5;

/// 3 × 5 glyphs of the digits, one row per byte (bit 2 = left column).
const FONT: [[u8; 5]; 10] = [
    [0b111, 0b101, 0b101, 0b101, 0b111],
    [0b010, 0b110, 0b010, 0b010, 0b111],
    [0b111, 0b001, 0b111, 0b100, 0b111],
    [0b111, 0b001, 0b111, 0b001, 0b111],
    [0b101, 0b101, 0b111, 0b001, 0b001],
    [0b111, 0b100, 0b111, 0b001, 0b111],
    [0b111, 0b100, 0b111, 0b101, 0b111],
    [0b111, 0b001, 0b010, 0b010, 0b010],
    [0b111, 0b101, 0b111, 0b101, 0b111],
    [0b111, 0b101, 0b111, 0b001, 0b111],
];

/// How many served images are remembered with their answers.
const SERVED_KEPT: usize = 1024;

/// The latest images served, by digest, with their answers: what a person reading the image
/// would answer, for clients running side by side on one sandbox.
#[derive(Debug, Default)]
pub(super) struct Served(VecDeque<([u8; 32], String)>);

impl Served {
    /// Remembers that `png` shows `answer`, forgetting the oldest beyond [`SERVED_KEPT`].
    pub fn remember(&mut self, png: &[u8], answer: &str) {
        if self.0.len() == SERVED_KEPT {
            self.0.pop_front();
        }
        self.0
            .push_back((Sha256::digest(png).into(), answer.to_owned()));
    }

    /// The answer of the served image `png`, if it is remembered.
    pub fn answer(&self, png: &[u8]) -> Option<String> {
        let digest: [u8; 32] = Sha256::digest(png).into();
        self.0
            .iter()
            .rev()
            .find(|(d, _)| *d == digest)
            .map(|(_, answer)| answer.clone())
    }
}

/// A new answer: five digits.
pub(super) fn new_answer(rng: &mut ChaCha20Rng) -> String {
    (0..DIGITS)
        .map(|_| char::from(b'0' + (rng.next_u32() % 10) as u8))
        .collect()
}

/// The PNG image of `answer` (digits; other characters are left blank), with noise from `rng`.
pub(super) fn render(answer: &str, rng: &mut ChaCha20Rng) -> Vec<u8> {
    let mut pixels = vec![235u8; WIDTH * HEIGHT];
    // Speckles.
    for pixel in pixels.iter_mut() {
        if rng.next_u32().is_multiple_of(9) {
            *pixel = 120 + (rng.next_u32() % 100) as u8;
        }
    }
    // Glyphs, each shifted up or down a little.
    for (i, c) in answer.chars().take(DIGITS).enumerate() {
        let Some(glyph) = c.to_digit(10).map(|d| FONT[d as usize]) else {
            continue;
        };
        let left = 8 + i * (3 * SCALE + 9);
        let top = 6 + (rng.next_u32() % 8) as usize;
        for (row, bits) in glyph.iter().enumerate() {
            for col in 0..3 {
                if bits & (0b100 >> col) == 0 {
                    continue;
                }
                for dy in 0..SCALE {
                    for dx in 0..SCALE {
                        let (x, y) = (left + col * SCALE + dx, top + row * SCALE + dy);
                        if x < WIDTH && y < HEIGHT {
                            pixels[y * WIDTH + x] = 30;
                        }
                    }
                }
            }
        }
    }
    // Two lines across.
    for _ in 0..2 {
        let y0 = i64::from(rng.next_u32() % HEIGHT as u32);
        let y1 = i64::from(rng.next_u32() % HEIGHT as u32);
        for x in 0..WIDTH {
            let y = y0 + (y1 - y0) * x as i64 / WIDTH as i64;
            if let Ok(y) = usize::try_from(y)
                && y < HEIGHT
            {
                pixels[y * WIDTH + x] = 90;
            }
        }
    }
    encode(&pixels)
}

fn encode(pixels: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, WIDTH as u32, HEIGHT as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        // Writing into a Vec cannot fail for a correctly sized buffer.
        let written = encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(pixels));
        if let Err(e) = written {
            tracing::warn!(%e, "captcha PNG encoding failed");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::SeedableRng;

    #[test]
    fn answers_are_digits_and_the_image_is_a_png() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let answer = new_answer(&mut rng);
        assert_eq!(answer.len(), DIGITS);
        assert!(answer.chars().all(|c| c.is_ascii_digit()));
        let png = render(&answer, &mut rng);
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap();
        assert_eq!(reader.info().width, WIDTH as u32);
    }

    #[test]
    fn served_images_are_answered_by_their_bytes() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let mut served = Served::default();
        let first = render("12345", &mut rng);
        let second = render("67890", &mut rng);
        served.remember(&first, "12345");
        served.remember(&second, "67890");
        assert_eq!(served.answer(&first).as_deref(), Some("12345"));
        assert_eq!(served.answer(&second).as_deref(), Some("67890"));
        assert_eq!(served.answer(b"not served"), None);
        for _ in 0..SERVED_KEPT {
            served.remember(b"other", "00000");
        }
        assert_eq!(served.answer(&first), None, "the oldest are forgotten");
    }
}
