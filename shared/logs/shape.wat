;; The digit-shape comparison of two lines' UTF-16 code units (see shape.ts, which falls back to fingerprint.ts's
;; `sameShape`, the definition, where WebAssembly is unavailable; the tests compare the two). Compiled by `npm run
;; build:line-filter` into line-filter.generated.ts; a unit test recompiles it and checks the generated file is
;; current.
(module
  (memory (export "memory") 1)
  ;; 1 when the $units code units at $a and $b are equal but for digits, a digit against a digit, where neither is
  ;; the 0 of a `0x` in $a's line; else 0.
  (func (export "sameShape") (param $a i32) (param $b i32) (param $units i32) (result i32)
    (local $end i32) (local $ca i32) (local $cb i32) (local $next i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $units) (i32.const 1))))
    (block $no
      (loop $unit
        (if (i32.ge_u (local.get $a) (local.get $end)) (then (return (i32.const 1))))
        (local.set $ca (i32.load16_u (local.get $a)))
        (local.set $cb (i32.load16_u (local.get $b)))
        (if (i32.ne (local.get $ca) (local.get $cb))
          (then
            (br_if $no (i32.gt_u (i32.sub (local.get $ca) (i32.const 48)) (i32.const 9)))
            (br_if $no (i32.gt_u (i32.sub (local.get $cb) (i32.const 48)) (i32.const 9)))
            (if (i32.and
                  (i32.or (i32.eq (local.get $ca) (i32.const 48)) (i32.eq (local.get $cb) (i32.const 48)))
                  (i32.lt_u (i32.add (local.get $a) (i32.const 2)) (local.get $end)))
              (then
                (local.set $next (i32.load16_u offset=2 (local.get $a)))
                (br_if $no (i32.or (i32.eq (local.get $next) (i32.const 120)) (i32.eq (local.get $next) (i32.const 88))))))))
        (local.set $a (i32.add (local.get $a) (i32.const 2)))
        (local.set $b (i32.add (local.get $b) (i32.const 2)))
        (br $unit)))
    (i32.const 0))
)
