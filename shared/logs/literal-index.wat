;; The literal index's pass over one line's UTF-8 bytes (see literal-index.ts, whose `scanInJs` is the same loop in
;; JavaScript and the reference the tests compare this one with). Compiled by `npm run build:line-filter` into
;; line-filter.generated.ts; a unit test recompiles it and checks the generated file is current.
;;
;; Memory, laid out by the caller:
;; - a class map, one i32 per byte value: the address of the byte's class's column of the transition table;
;; - the marks of the line being scanned, one bit per expression, in whole blocks of 16 bytes;
;; - the Aho–Corasick transition table, a column of 16-bit entries per byte class, one entry per state: the next
;;   state's number times 2 (its entry's offset in any column), the states with marks last (a state at or past
;;   $marking has marks);
;; - the marks table: a marking state's marks sit at $marks + (its state - $marking) / 2 × $bytes;
;; - the input bytes (while the table is built, `inherit`'s lists of states);
;; - the shape table of `intern`: a hash and a length per slot, then each slot's shape, then `intern`'s scratch rows.
(module
  (memory (export "memory") 1)

  ;; Runs the automaton over [$i, $end) from state $row (its number times 2) and ORs the marks of every marking state
  ;; it enters into the $bytes bytes at $bits (a multiple of 16, ORed 16 at a time); returns the state it ends in (a
  ;; long line is scanned in pieces).
  (func (export "scan")
    (param $i i32) (param $end i32) (param $row i32) (param $classes i32) (param $marking i32) (param $marks i32)
    (param $bits i32) (param $bytes i32)
    (result i32)
    (local $m i32) (local $w i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $row
          (i32.load16_u
            (i32.add
              (local.get $row)
              (i32.load (i32.add (local.get $classes) (i32.shl (i32.load8_u (local.get $i)) (i32.const 2)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $row) (local.get $marking)))
        (local.set $m
          (i32.add
            (local.get $marks)
            (i32.mul (i32.shr_u (i32.sub (local.get $row) (local.get $marking)) (i32.const 1)) (local.get $bytes))))
        (local.set $w (i32.const 0))
        (loop $or
          (v128.store
            (i32.add (local.get $bits) (local.get $w))
            (v128.or
              (v128.load (i32.add (local.get $bits) (local.get $w)))
              (v128.load (i32.add (local.get $m) (local.get $w)))))
          (local.set $w (i32.add (local.get $w) (i32.const 16)))
          (br_if $or (i32.lt_u (local.get $w) (local.get $bytes))))
        (br $next)))
    (local.get $row))

;; Fills the transition table's unwritten entries (0xffff) as the table is built: a column ($states entries) per
  ;; class, for $classes columns from $table, and in each the states in breadth-first order ($states 16-bit entries
  ;; at $own) take their failure state's entry (at $fails alike); the root's lead back to it. The same loop as
  ;; literal-index.ts's `inheritInJs`, which the tests compare with it.
  (func (export "inherit")
    (param $table i32) (param $states i32) (param $classes i32) (param $own i32) (param $fails i32)
    (local $column i32) (local $end i32) (local $k i32) (local $at i32)
    (local.set $column (local.get $table))
    (local.set $end (i32.add (local.get $table) (i32.shl (i32.mul (local.get $classes) (local.get $states)) (i32.const 1))))
    (block $done
      (loop $columns
        (br_if $done (i32.ge_u (local.get $column) (local.get $end)))
        (if (i32.eq (i32.load16_u (local.get $column)) (i32.const 0xffff))
          (then (i32.store16 (local.get $column) (i32.const 0))))
        (local.set $k (i32.const 2))
        (block $column_done
          (loop $entries
            (br_if $column_done (i32.ge_u (local.get $k) (i32.shl (local.get $states) (i32.const 1))))
            (local.set $at (i32.add (local.get $column) (i32.load16_u (i32.add (local.get $own) (local.get $k)))))
            (if (i32.eq (i32.load16_u (local.get $at)) (i32.const 0xffff))
              (then
                (i32.store16 (local.get $at)
                  (i32.load16_u (i32.add (local.get $column) (i32.load16_u (i32.add (local.get $fails) (local.get $k))))))))
            (local.set $k (i32.add (local.get $k) (i32.const 2)))
            (br $entries)))
        (local.set $column (i32.add (local.get $column) (i32.shl (local.get $states) (i32.const 1))))
        (br $columns))))

  ;; Interns the digit shape of the $n bytes (at most 256) at $line in a table of $mask + 1 slots: each slot holds a
  ;; hash and a length (two i32 at $meta + slot × 8) and a shape (at $store + slot × 512). A shape is two rows of
  ;; bytes: the line with every digit written as `0`, and a row marking the `0` of every `0x` (`sameShape` in
  ;; fingerprint.ts lets digits differ, but not that one); two lines have the same shape exactly when both rows are
  ;; equal. The rows are built 16 bytes at a time in $scratch (512 bytes), hashed, and compared with the slot the hash
  ;; names. Returns the slot; when the shape was not there, the line's shape takes the slot over and the top bit is set.
  (func (export "intern")
    (param $line i32) (param $n i32) (param $meta i32) (param $store i32) (param $mask i32) (param $scratch i32)
    (result i32)
    (local $i i32) (local $left i32) (local $hash i32) (local $slot i32) (local $m i32) (local $at i32)
    (local $v v128) (local $digit v128) (local $canon v128) (local $zero v128)
    (local.set $hash (i32.const -2128831035))
    (block $built
      (loop $chunk
        (br_if $built (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $v (v128.load (i32.add (local.get $line) (local.get $i))))
        (local.set $digit
          (v128.and
            (i8x16.ge_u (local.get $v) (i8x16.splat (i32.const 48)))
            (i8x16.le_u (local.get $v) (i8x16.splat (i32.const 57)))))
        (local.set $canon (v128.bitselect (i8x16.splat (i32.const 48)) (local.get $v) (local.get $digit)))
        (local.set $zero
          (v128.and
            (i8x16.eq (local.get $v) (i8x16.splat (i32.const 48)))
            (i8x16.eq
              (v128.or (v128.load offset=1 (i32.add (local.get $line) (local.get $i))) (i8x16.splat (i32.const 32)))
              (i8x16.splat (i32.const 120)))))
        ;; The last chunk: lanes past the line are 0, and a byte past it is no `x`.
        (local.set $left (i32.sub (local.get $n) (local.get $i)))
        (if (i32.lt_u (local.get $left) (i32.const 17))
          (then
            (local.set $canon
              (v128.and (local.get $canon)
                (i8x16.lt_u (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15) (i8x16.splat (local.get $left)))))
            (local.set $zero
              (v128.and (local.get $zero)
                (i8x16.lt_u
                  (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
                  (i8x16.splat (i32.sub (local.get $left) (i32.const 1))))))))
        (v128.store (i32.add (local.get $scratch) (local.get $i)) (local.get $canon))
        (v128.store offset=256 (i32.add (local.get $scratch) (local.get $i)) (local.get $zero))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (i32x4.extract_lane 0 (local.get $canon))) (i32.const 16777619)))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (i32x4.extract_lane 1 (local.get $canon))) (i32.const 16777619)))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (i32x4.extract_lane 2 (local.get $canon))) (i32.const 16777619)))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (i32x4.extract_lane 3 (local.get $canon))) (i32.const 16777619)))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (i32x4.extract_lane 0 (local.get $zero))) (i32.const 16777619)))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (i32x4.extract_lane 1 (local.get $zero))) (i32.const 16777619)))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (i32x4.extract_lane 2 (local.get $zero))) (i32.const 16777619)))
        (local.set $hash (i32.mul (i32.xor (local.get $hash) (i32x4.extract_lane 3 (local.get $zero))) (i32.const 16777619)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $chunk)))
    (local.set $slot (i32.and (i32.xor (local.get $hash) (i32.shr_u (local.get $hash) (i32.const 15))) (local.get $mask)))
    (local.set $m (i32.add (local.get $meta) (i32.shl (local.get $slot) (i32.const 3))))
    (local.set $at (i32.add (local.get $store) (i32.shl (local.get $slot) (i32.const 9))))
    (block $differs
      (br_if $differs (i32.ne (i32.load (local.get $m)) (local.get $hash)))
      (br_if $differs (i32.ne (i32.load offset=4 (local.get $m)) (local.get $n)))
      (local.set $i (i32.const 0))
      (loop $compare
        (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (local.get $slot))))
        (br_if $differs
          (i32.eqz
            (i8x16.all_true
              (v128.and
                (i8x16.eq
                  (v128.load (i32.add (local.get $scratch) (local.get $i)))
                  (v128.load (i32.add (local.get $at) (local.get $i))))
                (i8x16.eq
                  (v128.load offset=256 (i32.add (local.get $scratch) (local.get $i)))
                  (v128.load offset=256 (i32.add (local.get $at) (local.get $i))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $compare)))
    (i32.store (local.get $m) (local.get $hash))
    (i32.store offset=4 (local.get $m) (local.get $n))
    (local.set $i (i32.const 0))
    (block $copied
      (loop $copy
        (br_if $copied (i32.ge_u (local.get $i) (local.get $n)))
        (v128.store (i32.add (local.get $at) (local.get $i)) (v128.load (i32.add (local.get $scratch) (local.get $i))))
        (v128.store offset=256 (i32.add (local.get $at) (local.get $i)) (v128.load offset=256 (i32.add (local.get $scratch) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $copy)))
    (i32.or (local.get $slot) (i32.const 0x80000000)))
)
