/// Places by backend id, for a sample's one lookup per backend (`SpanTracker`): an
/// open-addressing table of plain integers with a multiplicative hash, several times cheaper
/// than a `Dictionary` (whose hasher is seeded per process and made for hostile keys). Built
/// whole from the ids; rebuilt when they change.
///
///     let index = BackendIndex(ids)
///     index.place(of: id)   // its place in `ids`, or nil
struct BackendIndex {
    /// Place + 1 in each slot, 0 for an empty one; a power of two slots, at most half full.
    private var slots: [Int32]
    private var ids: [BackendID]
    private var mask: Int

    init(_ ids: [BackendID] = []) {
        var size = 16
        while size < ids.count * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        self.ids = ids
        for (place, id) in ids.enumerated() {
            var s = Self.hash(id) & mask
            while slots[s] != 0 {
                if self.ids[Int(slots[s]) - 1] == id { break }  // a duplicate keeps its first place
                s = (s + 1) & mask
            }
            if slots[s] == 0 { slots[s] = Int32(place + 1) }
        }
    }

    func place(of id: BackendID) -> Int? {
        var s = Self.hash(id) & mask
        while true {
            let p = Int(slots[s])
            if p == 0 { return nil }
            if ids[p - 1] == id { return p - 1 }
            s = (s + 1) & mask
        }
    }

    static func hash(_ id: BackendID) -> Int {
        var h = UInt64(UInt32(bitPattern: id.pid)) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: id.start) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }
}
