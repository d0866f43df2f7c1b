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

# ai_infrastructure.compute_efficiency.001: MFU.
print("compute_efficiency.001: MFU %.3f (2N per token: %.3f)" % (6 * 7e9 * 3000 / 312e12, 2 * 7e9 * 3000 / 312e12))
# ai_infrastructure.roofline.001: batch at which a fp16 matmul stops being memory-bound.
print("roofline.001: ridge point %.0f FLOP/byte = batch size" % (312e12 / 2.0e12))
# ai_infrastructure.data_loading.003: storage bandwidth.
print("data_loading.003: %.2f GB/s" % (64 * 2000 * 110e3 / 1e9))
# ai_infrastructure.memory.005: model state of 13B at 16 bytes per parameter, sharded over 8.
print("memory.005: %.0f GB total, %.0f GB per GPU when sharded over 8" % (13e9 * 16 / 1e9, 13e9 * 16 / 8e9))
