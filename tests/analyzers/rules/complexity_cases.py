"""Source snippets with the complexity of each function, per language: (language, filename,
source, [(function's 1-based line, complexity), ...]). The reference tools agree with every row
(checked in test_complexity.py): mccabe for Python, lizard for the rest."""

CASES = [
    ("python", "a.py", "def f():\n    return 1\n", [(1, 1)]),
    (
        "python",
        "a.py",
        "def f(x):\n    if x:\n        pass\n    elif x > 1:\n        pass\n    else:\n        pass\n",
        [(1, 3)],
    ),
    (
        "python",
        "a.py",
        "async def f(x):\n    async for a in x:\n        pass\n    else:\n        pass\n    while x:\n        break\n",
        [(1, 3)],
    ),
    (
        "python",
        "a.py",
        "def f():\n    try:\n        a()\n    except A:\n        pass\n    except B:\n        pass\n    else:\n        pass\n",
        [(1, 4)],
    ),
    (
        "python",
        "a.py",
        "def f(x):\n    try:\n        a()\n    finally:\n        if x:\n            pass\n",
        [(1, 2)],
    ),
    (
        "python",
        "a.py",
        "def f(x):\n    def g():\n        if x:\n            pass\n    class C:\n        def m(self):\n            pass\n    return g\n",
        [(1, 4)],
    ),
    (
        "python",
        "a.py",
        "def f(x):\n    match x:\n        case 1:\n            if x:\n                pass\n",
        [(1, 1)],
    ),
    (
        "python",
        "a.py",
        "def f(x):\n    try:\n        pass\n    except* E:\n        if x:\n            pass\n",
        [(1, 1)],
    ),
    (
        "python",
        "a.py",
        "def f(x):\n    with x:\n        if x and y or z:\n            return [a for a in x if a]\n    return lambda: 1 if x else 2\n",
        [(1, 2)],
    ),
    (
        "python",
        "a.py",
        "class A:\n    @property\n    def p(self):\n        return 1 if self else 2\n\n    def m(self, x):\n        for a in x:\n            if a:\n                return a\n",
        [(3, 1), (6, 3)],
    ),
    (
        "javascript",
        "a.js",
        "function f(a, b = 1) {\n  if (a && b) { return 1 }\n  const g = (x) => x ? 1 : 2;\n  return a ?? b;\n}\n",
        [(1, 5), (3, 2)],
    ),
    (
        "javascript",
        "a.js",
        "class K {\n  m(a) {\n    switch (a) { case 1: break; case 2: break; default: }\n    try { a() } catch (e) { }\n    for (;;) { while (a || b) {} }\n  }\n}\n",
        [(2, 7)],
    ),
    (
        "javascript",
        "a.js",
        "const p = q.then(v => v).catch(e => e || 1);\nfunction t(x) { return `${x ? 1 : 2}` }\n",
        [(1, 1), (1, 2), (2, 1)],
    ),
    (
        "typescript",
        "a.ts",
        "export function f(a?: number, b: number = 2): number {\n  return a ? a : b ?? 0;\n}\n",
        [(1, 4)],
    ),
    (
        "typescript",
        "a.ts",
        "class C {\n  constructor(private x?: string) { if (x) {} }\n  m(): void { for (const k of ks) { if (k && z) {} } }\n}\n",
        [(2, 2), (3, 4)],
    ),
    (
        "tsx",
        "a.tsx",
        "export function App({ items }: Props) {\n  return <ul>{items.length > 0 && items.map(i => <li>{i ? 'a' : 'b'}</li>)}</ul>;\n}\n",
        [(1, 2), (2, 2)],
    ),
    (
        "java",
        "A.java",
        "class A {\n  @Override\n  public List<?> m(int a) {\n    Runnable r = () -> { if (a > 0) {} };\n    switch (a) { case 1: break; default: }\n    for (int x : xs) { if (x == 1 && y || z) continue; }\n    try { } catch (E e) { } finally { }\n    do { } while (c);\n    return a > 1 ? null : xs;\n  }\n  A() { this(1 > 2 ? 1 : 2); }\n}\n",
        [(3, 10), (11, 2)],
    ),
    (
        "go",
        "a.go",
        "package main\nfunc (s *S) M(a int) int {\n\tf := func(x int) bool { return x > 0 && x < 3 }\n\tif a > 0 || f(a) {\n\t}\n\tfor i := 0; i < 3; i++ {\n\t}\n\tswitch a {\n\tcase 1, 2:\n\tcase 3:\n\tdefault:\n\t}\n\tselect {\n\tcase <-c:\n\t}\n\treturn 0\n}\n",
        [(2, 7), (3, 2)],
    ),
    (
        "rust",
        "a.rs",
        "fn m(a: Option<i32>) -> Result<i32, E> where T: Copy {\n    let c = |x: i32| if x > 0 { 1 } else { 2 };\n    let v = a?;\n    match v { 1 => foo(), 2 | 3 => bar(), _ => baz() }\n    if let Some(x) = a { } else if v > 2 && w { }\n    let Some(y) = a else { return Err(e) };\n    while v > 0 || w { }\n    for i in 0..3 { loop { break; } }\n    Ok(1)\n}\n",
        [(1, 13)],
    ),
    (
        "rust",
        "a.rs",
        "impl S {\n    fn a(&self) -> bool { self.x > 0 && self.y }\n    fn b(&self) { fn inner() { if z {} } }\n}\n",
        [(2, 2), (3, 1), (3, 2)],
    ),
    (
        "kotlin",
        "a.kt",
        'class A {\n    fun m(a: Int?): String {\n        val r = when (a) { 1 -> "a"; 2, 3 -> "b"; else -> "c" }\n        for (i in 0..3) { while (c || d) {} }\n        try { } catch (e: E) { }\n        return a?.toString() ?: "x"\n    }\n    fun e(a: Int) = if (a > 1) 1 else 0\n}\nfun top() { do { } while (q && r) }\n',
        [(2, 8), (8, 2), (10, 3)],
    ),
    (
        "swift",
        "a.swift",
        'class A {\n    init(x: Int) { if x > 0 {} }\n    func m(a: Int?) -> String {\n        guard let a = a else { return "" }\n        switch a { case 1: break; case 2, 3: break; default: break }\n        for i in 0..<3 { while c || d {} }\n        repeat { } while q\n        do { try g() } catch E.a { } catch { }\n        return a > 0 ? "a" : (b ?? "c")\n    }\n}\n',
        [(2, 2), (3, 11)],
    ),
    (
        "csharp",
        "a.cs",
        'class C {\n  public C(int a) { if (a > 0) {} }\n  public string M(int? a) {\n    Func<int, bool> f = x => x > 0 && x < 2;\n    var s = a?.ToString() ?? "";\n    switch (a) { case 1: break; case 2: break; default: break; }\n    foreach (var x in xs) { if (x is null || y) continue; }\n    try { } catch (E e) { }\n    return a > 0 ? "a" : "b";\n  }\n}\n',
        [(2, 2), (3, 10)],
    ),
]
