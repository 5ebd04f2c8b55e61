;; The scan's byte-level prefilter (see prefilter.ts). V8's regex engine tries a 77-way alternation
;; at every position, some 6 ns a byte; these loops look at raw bytes instead.
;;
;; Memory: two tables of hashed 3-byte grams, filled by prefilter.ts: a coarse one, a byte for each
;; of 2^15 hashes, at [0, 32768), and a fine one, a bit for each of 2^21, at [32768, 294912). The
;; rest is lent to prefilter.ts for input and results.
(module
  (memory (export "memory") 64)

  ;; Both tables hash a gram by multiplying it with `key`, an odd number chosen by prefilter.ts for
  ;; the input (so that no gram common in it shares a coarse slot with a word's), and keeping the
  ;; product's top bits: 21 for the fine table, 15 for the coarse.

  ;; Whether the gram at p has its bit set in the fine table: the bit's value, not 1.
  (func $fine (param $p i32) (param $key i32) (result i32)
    (local $h i32)
    (local.set $h
      (i32.shr_u
        (i32.mul (i32.and (i32.load (local.get $p)) (i32.const 0xffffff)) (local.get $key))
        (i32.const 11)))
    (i32.and
      (i32.load8_u offset=32768 (i32.shr_u (local.get $h) (i32.const 3)))
      (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7)))))

  ;; Offsets of [p, end) at even distance from p where a 3-byte gram of a trigger word may start,
  ;; written to `out` as i32s, at most `max` of them; returns how many. Every word registers two
  ;; overlapping grams, so one of them starts at an even offset wherever the word is.
  ;;
  ;; Four grams per step: one vector load, the grams at p, p+2, p+4 and p+6 shuffled into four
  ;; lanes and hashed together, each lane looked up in the coarse table. A step with a hit goes
  ;; lane by lane through the fine table, so that few false hits reach the caller, which checks
  ;; each one exactly.
  ;; Reads up to 16 bytes past `end`: the caller keeps slack there.
  (func (export "scan") (param $p i32) (param $end i32) (param $out i32) (param $max i32) (param $key i32) (result i32)
    (local $n i32) (local $h v128) (local $last i32) (local $q i32) (local $mul v128)
    (local.set $last (i32.sub (local.get $end) (i32.const 9)))
    (local.set $mul (i32x4.splat (local.get $key)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_s (local.get $p) (local.get $last)))
        (local.set $h
          (i32x4.shr_u
            (i32x4.mul
              (i8x16.swizzle (v128.load (local.get $p))
                (v128.const i8x16 0 1 2 16 2 3 4 16 4 5 6 16 6 7 8 16))
              (local.get $mul))
            (i32.const 17)))
        (if (i32.or
              (i32.or
                (i32.load8_u (i32x4.extract_lane 0 (local.get $h)))
                (i32.load8_u (i32x4.extract_lane 1 (local.get $h))))
              (i32.or
                (i32.load8_u (i32x4.extract_lane 2 (local.get $h)))
                (i32.load8_u (i32x4.extract_lane 3 (local.get $h)))))
          (then
            (local.set $q (local.get $p))
            (block $lanes
              (loop $lane
                (br_if $lanes (i32.ge_u (local.get $q) (i32.add (local.get $p) (i32.const 8))))
                (if (call $fine (local.get $q) (local.get $key))
                  (then
                    (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (local.get $q))
                    (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                (local.set $q (i32.add (local.get $q) (i32.const 2)))
                (br $lane)))
            ;; Room for a full step's hits is left; the caller goes on after the last one.
            (if (i32.ge_u (local.get $n) (i32.sub (local.get $max) (i32.const 4)))
              (then (return (local.get $n))))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $next)))
    ;; The last few positions, one at a time.
    (block $end
      (loop $tail
        (br_if $end (i32.ge_u (local.get $n) (local.get $max)))
        (br_if $end (i32.gt_s (local.get $p) (i32.sub (local.get $end) (i32.const 3))))
        (if (call $fine (local.get $p) (local.get $key))
          (then
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (local.get $p))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $tail)))
    (local.get $n))

;; One pass over [p, end), sixteen bytes a step, for two things.
  ;; The survey, an i32 stored at `stats`: how many LFs the range holds (bits 0-27); bit 28 when it
  ;; holds a byte above 127 (else it is ASCII, which decodes as it is); bit 29 when it
  ;; may hold five dashes in a row (as private key armour does: four at an even offset from p are
  ;; taken for them); bit 30 when it holds an ESC (a terminal escape, which cleaning removes and so
  ;; can join words) or a CR not followed by LF (a line end of its own), bytes the byte path leaves
  ;; to the text path; bit 31 when it holds a control byte that cleaning turns into a space (C0 but
  ;; tab, LF and CR; DEL). Unless `idx` is negative, the LFs before each 4 KiB block of the range
  ;; are stored at `idx` as i32s, so that a line number costs a short count.
  ;; The hits `scan` would write, to `out`, returning how many. When `out` fills (at max - 8), hits
  ;; stop being recorded from a step on, whose offset goes to stats + 4 (else -1), and the caller
  ;; scans the rest with `scan`; the survey goes on to the end.
  ;; Reads up to 24 bytes past `end`: the caller keeps slack there.
  (func (export "sweep") (param $p i32) (param $end i32) (param $out i32) (param $max i32) (param $idx i32) (param $stats i32) (param $key i32) (result i32)
    (local $start i32) (local $n i32) (local $v v128) (local $unusual v128) (local $control v128)
    (local $dashes v128) (local $high v128) (local $b i32) (local $flags i32) (local $hits i32) (local $stop i32)
    (local $h v128) (local $k v128) (local $q i32) (local $m i32) (local $pattern v128) (local $mul v128)
    (local.set $start (local.get $p))
    (local.set $stop (i32.const -1))
    (local.set $pattern (v128.const i8x16 0 1 2 16 2 3 4 16 4 5 6 16 6 7 8 16))
    (local.set $mul (i32x4.splat (local.get $key)))
    (block $tail
      (loop $wide
        (br_if $tail (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (if (i32.and
              (i32.ge_s (local.get $idx) (i32.const 0))
              (i32.eqz (i32.and (i32.sub (local.get $p) (local.get $start)) (i32.const 4095))))
          (then
            (i32.store
              (i32.add (local.get $idx) (i32.shr_u (i32.sub (local.get $p) (local.get $start)) (i32.const 10)))
              (local.get $n))))
        (local.set $v (v128.load (local.get $p)))
        ;; The survey.
        (local.set $high (v128.or (local.get $high) (local.get $v)))
        (local.set $n
          (i32.add (local.get $n)
            (i32.popcnt (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10)))))))
        (local.set $unusual
          (v128.or (local.get $unusual)
            (v128.or
              (i8x16.eq (local.get $v) (i8x16.splat (i32.const 27)))
              (v128.andnot
                (i8x16.eq (local.get $v) (i8x16.splat (i32.const 13)))
                (i8x16.eq (v128.load offset=1 (local.get $p)) (i8x16.splat (i32.const 10)))))))
        (local.set $control
          (v128.or (local.get $control)
            (v128.or
              (v128.andnot
                (v128.andnot
                  (v128.andnot
                    (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 32)))
                    (i8x16.eq (local.get $v) (i8x16.splat (i32.const 9))))
                  (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10))))
                (i8x16.eq (local.get $v) (i8x16.splat (i32.const 13))))
              (i8x16.eq (local.get $v) (i8x16.splat (i32.const 127))))))
        (local.set $dashes
          (v128.or (local.get $dashes)
            (v128.and
              (i16x8.eq (local.get $v) (i16x8.splat (i32.const 0x2d2d)))
              (i16x8.eq (v128.load offset=2 (local.get $p)) (i16x8.splat (i32.const 0x2d2d))))))
        ;; The scan: the grams at p, p+2, ... p+14 through the coarse table.
        (if (i32.lt_s (local.get $stop) (i32.const 0))
          (then
            (local.set $h
              (i32x4.shr_u (i32x4.mul (i8x16.swizzle (local.get $v) (local.get $pattern)) (local.get $mul)) (i32.const 17)))
            (local.set $k
              (i32x4.shr_u (i32x4.mul (i8x16.swizzle (v128.load offset=8 (local.get $p)) (local.get $pattern)) (local.get $mul)) (i32.const 17)))
            ;; One bit per lane whose gram is in the coarse table (its entries are 0 or 1).
            (local.set $m
              (i32.or
                (i32.or
                  (i32.or
                    (i32.load8_u (i32x4.extract_lane 0 (local.get $h)))
                    (i32.shl (i32.load8_u (i32x4.extract_lane 1 (local.get $h))) (i32.const 1)))
                  (i32.or
                    (i32.shl (i32.load8_u (i32x4.extract_lane 2 (local.get $h))) (i32.const 2))
                    (i32.shl (i32.load8_u (i32x4.extract_lane 3 (local.get $h))) (i32.const 3))))
                (i32.or
                  (i32.or
                    (i32.shl (i32.load8_u (i32x4.extract_lane 0 (local.get $k))) (i32.const 4))
                    (i32.shl (i32.load8_u (i32x4.extract_lane 1 (local.get $k))) (i32.const 5)))
                  (i32.or
                    (i32.shl (i32.load8_u (i32x4.extract_lane 2 (local.get $k))) (i32.const 6))
                    (i32.shl (i32.load8_u (i32x4.extract_lane 3 (local.get $k))) (i32.const 7))))))
            (if (local.get $m)
              (then
                ;; Only those lanes go through the fine table.
                (block $lanes
                  (loop $lane
                    (br_if $lanes (i32.eqz (local.get $m)))
                    (local.set $q (i32.add (local.get $p) (i32.shl (i32.ctz (local.get $m)) (i32.const 1))))
                    (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
                    ;; A gram must lie within the range; the vector step read past it.
                    (if (i32.and
                          (i32.le_u (i32.add (local.get $q) (i32.const 3)) (local.get $end))
                          (i32.ne (call $fine (local.get $q) (local.get $key)) (i32.const 0)))
                      (then
                        (i32.store (i32.add (local.get $out) (i32.shl (local.get $hits) (i32.const 2))) (local.get $q))
                        (local.set $hits (i32.add (local.get $hits) (i32.const 1)))))
                    (br $lane)))
                (if (i32.ge_u (local.get $hits) (i32.sub (local.get $max) (i32.const 8)))
                  (then (local.set $stop (i32.add (local.get $p) (i32.const 16)))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $wide)))
    (if (v128.any_true (local.get $dashes)) (then (local.set $flags (i32.const 0x20000000))))
    (if (i8x16.bitmask (local.get $high)) (then (local.set $flags (i32.or (local.get $flags) (i32.const 0x10000000)))))
    (if (v128.any_true (local.get $unusual)) (then (local.set $flags (i32.or (local.get $flags) (i32.const 0x40000000)))))
    (if (v128.any_true (local.get $control)) (then (local.set $flags (i32.or (local.get $flags) (i32.const 0x80000000)))))
    ;; The last bytes one at a time (the rest of the survey), and grams at even offsets from start.
    (block $done
      (loop $narrow
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (if (i32.and
              (i32.ge_s (local.get $idx) (i32.const 0))
              (i32.eqz (i32.and (i32.sub (local.get $p) (local.get $start)) (i32.const 4095))))
          (then
            (i32.store
              (i32.add (local.get $idx) (i32.shr_u (i32.sub (local.get $p) (local.get $start)) (i32.const 10)))
              (local.get $n))))
        (local.set $b (i32.load8_u (local.get $p)))
        (local.set $n (i32.add (local.get $n) (i32.eq (local.get $b) (i32.const 10))))
        (if (i32.ge_u (local.get $b) (i32.const 128)) (then (local.set $flags (i32.or (local.get $flags) (i32.const 0x10000000)))))
        (if (i32.or
              (i32.eq (local.get $b) (i32.const 27))
              (i32.and
                (i32.eq (local.get $b) (i32.const 13))
                (i32.ne (i32.load8_u offset=1 (local.get $p)) (i32.const 10))))
          (then (local.set $flags (i32.or (local.get $flags) (i32.const 0x40000000)))))
        (if (i32.or
              (i32.eq (local.get $b) (i32.const 127))
              (i32.and
                (i32.lt_u (local.get $b) (i32.const 32))
                (i32.and
                  (i32.ne (local.get $b) (i32.const 9))
                  (i32.and (i32.ne (local.get $b) (i32.const 10)) (i32.ne (local.get $b) (i32.const 13))))))
          (then (local.set $flags (i32.or (local.get $flags) (i32.const 0x80000000)))))
        (if (i32.and
              (i32.le_u (i32.add (local.get $p) (i32.const 4)) (local.get $end))
              (i32.eq (i32.load (local.get $p)) (i32.const 0x2d2d2d2d)))
          (then (local.set $flags (i32.or (local.get $flags) (i32.const 0x20000000)))))
        (if (i32.and
              (i32.and
                (i32.lt_s (local.get $stop) (i32.const 0))
                (i32.eqz (i32.and (i32.sub (local.get $p) (local.get $start)) (i32.const 1))))
              (i32.and
                (i32.le_u (i32.add (local.get $p) (i32.const 3)) (local.get $end))
                (i32.ne (call $fine (local.get $p) (local.get $key)) (i32.const 0))))
          (then
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $hits) (i32.const 2))) (local.get $p))
            (local.set $hits (i32.add (local.get $hits) (i32.const 1)))
            (if (i32.ge_u (local.get $hits) (i32.sub (local.get $max) (i32.const 8)))
              (then (local.set $stop (i32.add (local.get $p) (i32.const 2)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $narrow)))
    (i32.store (local.get $stats) (i32.or (local.get $n) (local.get $flags)))
    (i32.store offset=4 (local.get $stats) (local.get $stop))
    (local.get $hits))

  ;; Where redaction must look closer in [p, end), which holds whole lines: written to `out` as
  ;; i32s, at most `max` of them; returns how many, or -1 when there were more.
  ;; - The offset of each gram at an even distance from p that is in the secret tables: tables like
  ;;   the two above, at 426000 (coarse) and 458768 (fine), filled with the grams of the words
  ;;   redaction's gate looks for, each byte with its 0x20 bit set, so that an ASCII letter hashes
  ;;   as its lower case whatever its case (prefilter.ts, fillSecretTables, from GATE_WORDS).
  ;; - The offset of each run of two or more spaces or tabs that follows a byte other than a space,
  ;;   tab or LF, with bit 31 set: where a line may have a gap that a wrap left (cut-secrets.ts).
  ;; Reads up to 24 bytes past `end`, and the byte before p after the first step.
  (func (export "marks") (param $p i32) (param $end i32) (param $out i32) (param $max i32) (param $key i32) (result i32)
    (local $start i32) (local $n i32) (local $v v128) (local $prev v128) (local $h v128) (local $k v128)
    (local $m i32) (local $q i32) (local $pattern v128) (local $mul v128) (local $fold v128)
    (local $tab v128) (local $space v128)
    (local.set $start (local.get $p))
    (local.set $pattern (v128.const i8x16 0 1 2 16 2 3 4 16 4 5 6 16 6 7 8 16))
    (local.set $mul (i32x4.splat (local.get $key)))
    (local.set $fold (i8x16.splat (i32.const 0x20)))
    (local.set $space (i8x16.splat (i32.const 32)))
    (local.set $tab (i8x16.splat (i32.const 9)))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        ;; The byte before p: a line starts at `start`, as after an LF.
        (local.set $prev
          (if (result v128) (i32.eq (local.get $p) (local.get $start))
            (then (i8x16.replace_lane 0 (v128.load (i32.sub (local.get $p) (i32.const 1))) (i32.const 10)))
            (else (v128.load (i32.sub (local.get $p) (i32.const 1))))))
        ;; Gaps: a space or tab, another after it, and before it none of space, tab or LF.
        (local.set $m
          (i8x16.bitmask
            (v128.and
              (v128.and
                (v128.or (i8x16.eq (local.get $v) (local.get $space)) (i8x16.eq (local.get $v) (local.get $tab)))
                (v128.or
                  (i8x16.eq (v128.load offset=1 (local.get $p)) (local.get $space))
                  (i8x16.eq (v128.load offset=1 (local.get $p)) (local.get $tab))))
              (v128.not
                (v128.or
                  (v128.or (i8x16.eq (local.get $prev) (local.get $space)) (i8x16.eq (local.get $prev) (local.get $tab)))
                  (i8x16.eq (local.get $prev) (i8x16.splat (i32.const 10))))))))
        (block $gaps
          (loop $gap
            (br_if $gaps (i32.eqz (local.get $m)))
            (local.set $q (i32.add (local.get $p) (i32.ctz (local.get $m))))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (if (i32.lt_u (local.get $q) (local.get $end))
              (then
                (if (i32.ge_u (local.get $n) (local.get $max)) (then (return (i32.const -1))))
                (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (i32.or (local.get $q) (i32.const 0x80000000)))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))))
            (br $gap)))
        ;; Secret words: the grams at p, p+2, ... p+14, folded, through the coarse table.
        (local.set $h
          (i32x4.shr_u (i32x4.mul (i8x16.swizzle (v128.or (local.get $v) (local.get $fold)) (local.get $pattern)) (local.get $mul)) (i32.const 17)))
        (local.set $k
          (i32x4.shr_u (i32x4.mul (i8x16.swizzle (v128.or (v128.load offset=8 (local.get $p)) (local.get $fold)) (local.get $pattern)) (local.get $mul)) (i32.const 17)))
        (local.set $m
          (i32.or
            (i32.or
              (i32.or
                (i32.load8_u offset=426000 (i32x4.extract_lane 0 (local.get $h)))
                (i32.shl (i32.load8_u offset=426000 (i32x4.extract_lane 1 (local.get $h))) (i32.const 1)))
              (i32.or
                (i32.shl (i32.load8_u offset=426000 (i32x4.extract_lane 2 (local.get $h))) (i32.const 2))
                (i32.shl (i32.load8_u offset=426000 (i32x4.extract_lane 3 (local.get $h))) (i32.const 3))))
            (i32.or
              (i32.or
                (i32.shl (i32.load8_u offset=426000 (i32x4.extract_lane 0 (local.get $k))) (i32.const 4))
                (i32.shl (i32.load8_u offset=426000 (i32x4.extract_lane 1 (local.get $k))) (i32.const 5)))
              (i32.or
                (i32.shl (i32.load8_u offset=426000 (i32x4.extract_lane 2 (local.get $k))) (i32.const 6))
                (i32.shl (i32.load8_u offset=426000 (i32x4.extract_lane 3 (local.get $k))) (i32.const 7))))))
        (block $lanes
          (loop $lane
            (br_if $lanes (i32.eqz (local.get $m)))
            (local.set $q (i32.add (local.get $p) (i32.shl (i32.ctz (local.get $m)) (i32.const 1))))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            ;; A gram must lie within the range; the step read past it.
            (if (i32.and
                  (i32.le_u (i32.add (local.get $q) (i32.const 3)) (local.get $end))
                  (i32.ne (call $secret (local.get $q) (local.get $key)) (i32.const 0)))
              (then
                (if (i32.ge_u (local.get $n) (local.get $max)) (then (return (i32.const -1))))
                (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (local.get $q))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))))
            (br $lane)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $step)))
    (local.get $n))

  ;; Whether the folded gram at p has its bit set in the secret fine table: the bit's value, not 1.
  (func $secret (param $p i32) (param $key i32) (result i32)
    (local $h i32)
    (local.set $h
      (i32.shr_u
        (i32.mul (i32.or (i32.and (i32.load (local.get $p)) (i32.const 0xffffff)) (i32.const 0x202020)) (local.get $key))
        (i32.const 11)))
    (i32.and
      (i32.load8_u offset=458768 (i32.shr_u (local.get $h) (i32.const 3)))
      (i32.shl (i32.const 1) (i32.and (local.get $h) (i32.const 7)))))

  ;; How many grams at even offsets of [p, end) have their slot set in the coarse table: how often
  ;; the sweep would look further with this key (and the coarse table filled for it).
  (func (export "coarseHits") (param $p i32) (param $end i32) (param $key i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 3)) (local.get $end)))
        (local.set $n
          (i32.add (local.get $n)
            (i32.load8_u
              (i32.shr_u
                (i32.mul (i32.and (i32.load (local.get $p)) (i32.const 0xffffff)) (local.get $key))
                (i32.const 17)))))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (br $next)))
    (local.get $n))

  ;; How many bytes of [p, end) equal `byte`: sixteen at a time.
  (func (export "count") (param $p i32) (param $end i32) (param $byte i32) (result i32)
    (local $n i32) (local $needle v128)
    (local.set $needle (i8x16.splat (local.get $byte)))
    (block $tail
      (loop $wide
        (br_if $tail (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (local.set $n
          (i32.add (local.get $n)
            (i32.popcnt (i8x16.bitmask (i8x16.eq (v128.load (local.get $p)) (local.get $needle))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $wide)))
    (block $done
      (loop $narrow
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $n (i32.add (local.get $n) (i32.eq (i32.load8_u (local.get $p)) (local.get $byte))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $narrow)))
    (local.get $n))

)
