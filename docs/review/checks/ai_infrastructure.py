"""Checks of the numbers in the new ai_infrastructure items (run: python3 docs/review/checks/ai_infrastructure.py)."""
import struct

def f32(x):
    return struct.unpack('<f', struct.pack('<f', x))[0]

def bf16(x):
    """Round a float to bfloat16 (round to nearest even on the float32 bits)."""
    b = struct.unpack('<I', struct.pack('<f', x))[0]
    b = (b + 0x7FFF + ((b >> 16) & 1)) & 0xFFFF0000
    return struct.unpack('<f', struct.pack('<I', b))[0]

# ai_infrastructure.mixed_precision.003: updates of 1e-4 to weights near 1 vanish in bf16.
print("mixed_precision.003: bf16(1 + 1e-4) =", bf16(1 + 1e-4), "; bf16 spacing at 1 =", bf16(1 + 2 ** -7) - 1)
w, v = 1.0, 1.0
for _ in range(1000):
    w = bf16(w + 1e-4)
    v = f32(v + 1e-4)
print("   after 1,000 updates of 1e-4: bf16 weight %.4f, fp32 weight %.4f" % (w, v))
assert w == 1.0 and abs(v - 1.1) < 1e-3
