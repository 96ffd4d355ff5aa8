use super::*;

fn lit(src: &str) -> Option<Literal> {
    let lines = tokenize(src);
    whole_literal(&lines.first()?.toks)
}

#[test]
fn literals() {
    assert_eq!(lit("'a' \"b\""), Some(Literal::Str("ab".into())));
    assert_eq!(lit("-1_000"), Some(Literal::Int(-1000)));
    assert_eq!(lit("0x1F"), Some(Literal::Int(31)));
    assert_eq!(lit("1.5e3"), Some(Literal::Float(1500.0)));
    assert_eq!(lit("(1,)"), Some(Literal::List(vec![Literal::Int(1)])));
    assert_eq!(lit("(1)"), Some(Literal::Int(1)));
    assert_eq!(lit("()"), Some(Literal::List(vec![])));
    assert_eq!(lit("{}"), Some(Literal::Dict(vec![])));
    assert_eq!(
        lit("{'a', 'b',}"),
        Some(Literal::List(vec![
            Literal::Str("a".into()),
            Literal::Str("b".into())
        ]))
    );
    assert_eq!(lit("f'x{y}'"), None);
    assert_eq!(lit("b'x'"), None);
    assert_eq!(lit("foo()"), None);
    assert_eq!(lit("'a' + 'b'"), None);
    assert_eq!(
        lit("r'\\d+' 'x\\ty'"),
        Some(Literal::Str("\\d+x\ty".into()))
    );
    assert_eq!(lit("'\\u00e9\\x41'"), Some(Literal::Str("éA".into())));
    assert_eq!(
        lit("99999999999999999999999"),
        Some(Literal::BigInt("99999999999999999999999".into()))
    );
    assert_eq!(
        lit("'a', 'b'").map(|l| l.to_python()),
        Some("[\"a\", \"b\"]".into())
    );
}

#[test]
fn hostile_input_never_panics() {
    for src in [
        "",
        "'",
        "\"\"\"",
        "class",
        "class X(",
        "config =",
        "(((((",
        ")))",
        "\\",
        "x = '\\",
        "class X(PluginConfig):\n",
        "é = 'ü'\nclass Ä(PluginConfig): name = 'é'\nconfig = Ä",
        "0x",
        "1e",
        "'\\x4'",
        "'\\U0011ffff'",
        "{1:",
        "[1,,]",
        "\t\tclass\t",
    ] {
        let _ = parse_plugin_module(src);
        let _ = lit(src);
    }
    let deep = "[".repeat(10_000);
    assert_eq!(lit(&deep), None);
}
