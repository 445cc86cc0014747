#include "journal/format.hpp"

#include <cstring>

namespace taskfarm::journal {

std::filesystem::path section_path(std::filesystem::path const& path, std::uint32_t section) {
    if (section == 0) return path;
    std::filesystem::path p = path;
    p += "." + std::to_string(section);
    return p;
}

void ByteWriter::str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    bytes(std::as_bytes(std::span(s.data(), s.size())));
}

std::uint64_t ByteReader::get(int n) {
    if (!ok_ || remaining() < static_cast<std::size_t>(n)) {
        ok_ = false;
        return 0;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= std::uint64_t{std::to_integer<std::uint8_t>(in_[at_ + i])} << (8 * i);
    at_ += static_cast<std::size_t>(n);
    return v;
}

ByteView ByteReader::bytes(std::size_t n) {
    if (!ok_ || remaining() < n) {
        ok_ = false;
        return {};
    }
    ByteView const out = in_.subspan(at_, n);
    at_ += n;
    return out;
}

std::string ByteReader::str() {
    std::uint32_t const n = u32();
    ByteView const b = bytes(n);
    return {reinterpret_cast<char const*>(b.data()), b.size()};
}

Bytes encode_file_header(std::uint32_t section, Fingerprint const& fp) {
    Bytes out;
    ByteWriter w(out);
    w.bytes(std::as_bytes(std::span(file_magic)));
    w.u32(format_version);
    w.u32(0);  // header_size, patched below
    w.u32(section);
    w.u64(fp.task_count);
    w.u64(fp.input_hash);
    w.str(fp.result_type);
    w.str(fp.call_kind);
    w.str(fp.compatibility);
    auto const size = static_cast<std::uint32_t>(out.size() + 4);
    for (int i = 0; i < 4; ++i) out[12 + i] = static_cast<std::byte>(size >> (8 * i));
    w.u32(crc32c(out));
    return out;
}

void encode_record_header(RecordHeader const& h, std::array<std::byte, record_header_size>& out) {
    Bytes b;
    b.reserve(record_header_size);
    ByteWriter w(b);
    w.u32(record_magic);
    w.u32(0);  // CRC, see seal_record_header
    w.u32(h.body_size);
    w.u8(static_cast<std::uint8_t>(h.kind));
    w.zeros(3);
    w.u64(h.sequence);
    w.u64(h.synced_through);
    std::memcpy(out.data(), b.data(), record_header_size);
}

void seal_record_header(std::array<std::byte, record_header_size>& header, std::initializer_list<ByteView> body_parts) {
    std::uint32_t crc = crc32c(ByteView(header).subspan(8));
    for (ByteView part : body_parts) crc = crc32c(part, crc);
    for (int i = 0; i < 4; ++i) header[4 + static_cast<std::size_t>(i)] = static_cast<std::byte>(crc >> (8 * i));
}

}  // namespace taskfarm::journal
