// Where each digit of the grid sits on screen, and which digit a point falls on. No SDL: plain integers.
#pragma once

namespace gan {

struct GridLayout {
  int cols = 8, rows = 8;
  int scale = 3;  // screen pixels per digit pixel (nearest neighbour)
  int gap = 1;    // digit pixels between digits and around the grid

  static constexpr int kDigitSide = 28;

  int count() const { return cols * rows; }
  // Size of the grid at digit resolution (what the texture holds) and on screen.
  int texture_width() const { return cols * (kDigitSide + gap) + gap; }
  int texture_height() const { return rows * (kDigitSide + gap) + gap; }
  int width() const { return texture_width() * scale; }
  int height() const { return texture_height() * scale; }

  // Top-left corner of digit i at digit resolution.
  int cell_x(int i) const { return gap + (i % cols) * (kDigitSide + gap); }
  int cell_y(int i) const { return gap + (i / cols) * (kDigitSide + gap); }

  // The digit under screen point (x, y), or -1 on a gap or outside the grid.
  int hit(int x, int y) const {
    if (x < 0 || y < 0 || x >= width() || y >= height()) return -1;
    const int tx = x / scale - gap, ty = y / scale - gap;
    if (tx < 0 || ty < 0) return -1;
    const int col = tx / (kDigitSide + gap), row = ty / (kDigitSide + gap);
    if (tx % (kDigitSide + gap) >= kDigitSide || ty % (kDigitSide + gap) >= kDigitSide) return -1;
    if (col >= cols || row >= rows) return -1;
    return row * cols + col;
  }
};

}  // namespace gan
