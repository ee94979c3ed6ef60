//! Well-Known Text, the text form of the spatial types: parsed from what users write
//! (`POINT(0 0)`, any case and spacing) and written as Elasticsearch writes it (`POINT (0.0
//! 0.0)`, numbers as Java prints doubles). Spatial values are held as this canonical text.

use super::text_form::format_double;

/// A coordinate: x (longitude) and y (latitude).
pub type Coord = (f64, f64);

/// A geometry.
#[derive(Clone, Debug, PartialEq)]
pub enum Geometry {
    /// `POINT (x y)`
    Point(Coord),
    /// `MULTIPOINT (x y, ...)`
    MultiPoint(Vec<Coord>),
    /// `LINESTRING (x y, ...)`
    LineString(Vec<Coord>),
    /// `MULTILINESTRING ((...), ...)`
    MultiLineString(Vec<Vec<Coord>>),
    /// `POLYGON ((shell), (hole), ...)`
    Polygon(Vec<Vec<Coord>>),
    /// `MULTIPOLYGON (((...)), ...)`
    MultiPolygon(Vec<Vec<Vec<Coord>>>),
    /// `GEOMETRYCOLLECTION (geometry, ...)`
    Collection(Vec<Geometry>),
    /// `BBOX (minX, maxX, maxY, minY)`
    Envelope {
        /// West.
        min_x: f64,
        /// East.
        max_x: f64,
        /// North.
        max_y: f64,
        /// South.
        min_y: f64,
    },
    /// `<TYPE> EMPTY`
    Empty(&'static str),
}

/// WKT text as a value of spatial type `ty`, in canonical form: a point type takes only
/// points, a geo type checks latitudes and longitudes.
pub fn canonical(text: &str, ty: super::EsType) -> Result<String, String> {
    use super::EsType::{CartesianPoint, GeoPoint, GeoShape};
    let g = parse(text).map_err(|e| format!("Failed to parse WKT: {e}"))?;
    if matches!(ty, GeoPoint | CartesianPoint) && !matches!(g, Geometry::Point(_)) {
        let kind = g.to_string().split(' ').next().unwrap_or_default().to_string();
        return Err(format!("Failed to parse WKT: expected a point but found: {kind}"));
    }
    if matches!(ty, GeoPoint | GeoShape) {
        g.check_geo()?;
    }
    Ok(g.to_string())
}

/// Parses WKT; the message says what is wrong.
pub fn parse(text: &str) -> Result<Geometry, String> {
    let tokens = tokenize(text)?;
    let mut p = Parser { tokens, at: 0 };
    let g = p.geometry()?;
    match p.tokens.get(p.at) {
        None => Ok(g),
        Some(t) => Err(format!("expected end of input but found: {t:?}")),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Number(f64),
    Open,
    Close,
    Comma,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ',' => {
                chars.next();
                out.push(match c {
                    '(' => Token::Open,
                    ')' => Token::Close,
                    _ => Token::Comma,
                });
            }
            _ => {
                let mut end = i;
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_whitespace() || matches!(d, '(' | ')' | ',') {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                let word = &text[i..end];
                out.push(match word.parse::<f64>() {
                    Ok(n) if !word.chars().all(char::is_alphabetic) => Token::Number(n),
                    _ => Token::Word(word.to_ascii_uppercase()),
                });
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn expect(&mut self, want: Token) -> Result<(), String> {
        match self.next() {
            Some(t) if t == want => Ok(()),
            other => Err(format!("expected {want:?} but found: {}", describe(other.as_ref()))),
        }
    }

    fn geometry(&mut self) -> Result<Geometry, String> {
        let Some(Token::Word(kind)) = self.next() else { return Err("expected a geometry type".into()) };
        let kind: &'static str = match kind.as_str() {
            "POINT" => "POINT",
            "MULTIPOINT" => "MULTIPOINT",
            "LINESTRING" => "LINESTRING",
            "MULTILINESTRING" => "MULTILINESTRING",
            "POLYGON" => "POLYGON",
            "MULTIPOLYGON" => "MULTIPOLYGON",
            "GEOMETRYCOLLECTION" => "GEOMETRYCOLLECTION",
            "BBOX" => "BBOX",
            other => return Err(format!("Unknown geometry type: {}", other.to_lowercase())),
        };
        if matches!(self.peek(), Some(Token::Word(w)) if w == "EMPTY") {
            self.at += 1;
            return Ok(Geometry::Empty(kind));
        }
        Ok(match kind {
            "POINT" => {
                self.expect(Token::Open)?;
                let c = self.coord()?;
                self.expect(Token::Close)?;
                Geometry::Point(c)
            }
            "MULTIPOINT" => Geometry::MultiPoint(self.list(|p| {
                if p.peek() == Some(&Token::Open) {
                    p.at += 1;
                    let c = p.coord()?;
                    p.expect(Token::Close)?;
                    Ok(c)
                } else {
                    p.coord()
                }
            })?),
            "LINESTRING" => Geometry::LineString(self.coords()?),
            "MULTILINESTRING" => Geometry::MultiLineString(self.list(Parser::coords)?),
            "POLYGON" => Geometry::Polygon(self.rings()?),
            "MULTIPOLYGON" => Geometry::MultiPolygon(self.list(Parser::rings)?),
            "GEOMETRYCOLLECTION" => Geometry::Collection(self.list(Parser::geometry)?),
            _ => {
                let v = self.list(|p| match p.next() {
                    Some(Token::Number(n)) => Ok(n),
                    other => Err(format!("expected number but found: {}", describe(other.as_ref()))),
                })?;
                let [min_x, max_x, max_y, min_y] = v[..] else { return Err("BBOX takes four numbers".into()) };
                Geometry::Envelope { min_x, max_x, max_y, min_y }
            }
        })
    }

    /// `( item, item, ... )`
    fn list<T>(&mut self, mut item: impl FnMut(&mut Parser) -> Result<T, String>) -> Result<Vec<T>, String> {
        self.expect(Token::Open)?;
        let mut out = vec![item(self)?];
        while self.peek() == Some(&Token::Comma) {
            self.at += 1;
            out.push(item(self)?);
        }
        self.expect(Token::Close)?;
        Ok(out)
    }

    fn coords(&mut self) -> Result<Vec<Coord>, String> {
        self.list(Parser::coord)
    }

    fn rings(&mut self) -> Result<Vec<Vec<Coord>>, String> {
        self.list(Parser::coords)
    }

    /// `x y [z]` (a z is read and dropped: ES|QL geometries are two-dimensional here).
    fn coord(&mut self) -> Result<Coord, String> {
        let mut n = || match self.next() {
            Some(Token::Number(n)) => Ok(n),
            other => Err(format!("expected number but found: {}", describe(other.as_ref()))),
        };
        let (x, y) = (n()?, n()?);
        if let Some(Token::Number(_)) = self.peek() {
            self.at += 1;
        }
        Ok((x, y))
    }
}

fn describe(t: Option<&Token>) -> String {
    match t {
        None => "end of input".into(),
        Some(Token::Word(w)) => w.to_lowercase(),
        Some(Token::Number(n)) => format_double(*n),
        Some(Token::Open) => "(".into(),
        Some(Token::Close) => ")".into(),
        Some(Token::Comma) => ",".into(),
    }
}

impl std::fmt::Display for Geometry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let coord = |c: &Coord| format!("{} {}", format_double(c.0), format_double(c.1));
        let coords = |cs: &[Coord]| format!("({})", cs.iter().map(coord).collect::<Vec<_>>().join(", "));
        let rings = |rs: &[Vec<Coord>]| format!("({})", rs.iter().map(|r| coords(r)).collect::<Vec<_>>().join(", "));
        match self {
            Geometry::Point(c) => write!(f, "POINT ({})", coord(c)),
            Geometry::MultiPoint(cs) => write!(f, "MULTIPOINT {}", coords(cs)),
            Geometry::LineString(cs) => write!(f, "LINESTRING {}", coords(cs)),
            Geometry::MultiLineString(ls) => write!(f, "MULTILINESTRING {}", rings(ls)),
            Geometry::Polygon(rs) => write!(f, "POLYGON {}", rings(rs)),
            Geometry::MultiPolygon(ps) => {
                write!(f, "MULTIPOLYGON ({})", ps.iter().map(|p| rings(p)).collect::<Vec<_>>().join(", "))
            }
            Geometry::Collection(gs) => {
                write!(f, "GEOMETRYCOLLECTION ({})", gs.iter().map(|g| g.to_string()).collect::<Vec<_>>().join(", "))
            }
            Geometry::Envelope { min_x, max_x, max_y, min_y } => {
                let n = [min_x, max_x, max_y, min_y].map(|v| format_double(*v));
                write!(f, "BBOX ({})", n.join(", "))
            }
            Geometry::Empty(kind) => write!(f, "{kind} EMPTY"),
        }
    }
}

impl Geometry {
    /// Every coordinate, in order.
    pub fn coords(&self) -> Vec<Coord> {
        match self {
            Geometry::Point(c) => vec![*c],
            Geometry::MultiPoint(cs) | Geometry::LineString(cs) => cs.clone(),
            Geometry::MultiLineString(rs) | Geometry::Polygon(rs) => rs.concat(),
            Geometry::MultiPolygon(ps) => ps.iter().flat_map(|p| p.concat()).collect(),
            Geometry::Collection(gs) => gs.iter().flat_map(Geometry::coords).collect(),
            Geometry::Envelope { min_x, max_x, max_y, min_y } => vec![(*min_x, *min_y), (*max_x, *max_y)],
            Geometry::Empty(_) => vec![],
        }
    }

    /// Checks latitudes and longitudes, as a geo type requires.
    pub fn check_geo(&self) -> Result<(), String> {
        for (x, y) in self.coords() {
            if !(-90.0..=90.0).contains(&y) {
                return Err(format!("invalid latitude {}; must be between -90.0 and 90.0", format_double(y)));
            }
            if !(-180.0..=180.0).contains(&x) {
                return Err(format!("invalid longitude {}; must be between -180.0 and 180.0", format_double(x)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wkt_reads_loosely_and_writes_as_elasticsearch() {
        let cases = [
            ("POINT(0 0)", "POINT (0.0 0.0)"),
            ("point ( 42.97109629958868  14.7552534006536 )", "POINT (42.97109629958868 14.7552534006536)"),
            ("MULTIPOINT ((1 2), (3 4))", "MULTIPOINT (1.0 2.0, 3.0 4.0)"),
            ("POLYGON((1 1, 9 1, 9 9, 1 9, 1 1))", "POLYGON ((1.0 1.0, 9.0 1.0, 9.0 9.0, 1.0 9.0, 1.0 1.0))"),
            (
                "GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(0 0, 1e7 1))",
                "GEOMETRYCOLLECTION (POINT (1.0 2.0), LINESTRING (0.0 0.0, 1.0E7 1.0))",
            ),
            ("BBOX(-10, 10, 5, -5)", "BBOX (-10.0, 10.0, 5.0, -5.0)"),
            ("linestring empty", "LINESTRING EMPTY"),
        ];
        for (input, canonical) in cases {
            assert_eq!(parse(input).map(|g| g.to_string()), Ok(canonical.to_string()), "{input}");
        }
        assert!(parse("POINT(0)").is_err());
        assert!(parse("CIRCLE(0 0, 1)").is_err());
        assert!(parse("POINT(0 0) x").is_err());
        assert_eq!(
            parse("POINT(0 100)").and_then(|g| g.check_geo()),
            Err("invalid latitude 100.0; must be between -90.0 and 90.0".into())
        );
    }
}
