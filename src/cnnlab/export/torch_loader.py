"""The weights loader written at the end of every exported ``model.py`` (torch only).

It reads the ``.safetensors`` format itself (an 8-byte little-endian header length, a
JSON header, then the tensors' bytes), so that the exported file needs nothing but torch.
"""

LOADER = '''
DTYPES = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
    "I16": torch.int16,
    "I8": torch.int8,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}


def read_safetensors(path) -> dict:
    """The tensors of a .safetensors file by name: an 8-byte little-endian header length,
    a JSON header (dtype, shape and byte range of each tensor), then the bytes."""
    with open(path, "rb") as file:
        size = int.from_bytes(file.read(8), "little")
        header = json.loads(file.read(size))
        data = file.read()
    header.pop("__metadata__", None)
    tensors = {}
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        dtype = DTYPES[entry["dtype"]]
        if start == end:
            tensors[name] = torch.empty(entry["shape"], dtype=dtype)
        else:
            raw = torch.frombuffer(bytearray(data[start:end]), dtype=dtype)
            tensors[name] = raw.reshape(entry["shape"])
    return tensors


def load_weights(model: nn.Module, path) -> nn.Module:
    """Fill ``model`` from the .safetensors file at ``path``; every key must match."""
    model.load_state_dict(read_safetensors(path), strict=True)
    return model


if __name__ == "__main__":
    print(build())
'''
