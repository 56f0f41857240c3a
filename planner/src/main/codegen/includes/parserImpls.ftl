<#--
// Aquifer's productions for Calcite's Parser.jj template (see ../config.fmpp, which names the
// hooks they plug into). Databricks syntax that Calcite's core grammar lacks lives here.
-->

/** LEFT SEMI JOIN (a joinTypes hook). */
JoinType LeftSemiJoin() :
{
}
{
    <LEFT> <SEMI> <JOIN> { return JoinType.LEFT_SEMI_JOIN; }
}

/** LEFT ANTI JOIN (a joinTypes hook). */
JoinType LeftAntiJoin() :
{
}
{
    <LEFT> <ANTI> <JOIN> { return JoinType.LEFT_ANTI_JOIN; }
}

/** DATE_PART(unit, value), the unit a time unit name or an expression. */
SqlNode DatePartFunctionCall() :
{
    final Span s;
    final List<SqlNode> args;
    SqlNode node;
}
{
    <DATE_PART> { s = span(); }
    <LPAREN>
    (
        LOOKAHEAD(2) node = TimeUnitOrName()
    |
        node = Expression(ExprContext.ACCEPT_NON_QUERY)
    )
    { args = startList(node); }
    <COMMA> node = Expression(ExprContext.ACCEPT_SUB_QUERY) { args.add(node); }
    <RPAREN>
    { return SqlLibraryOperators.DATE_PART.createCall(s.end(this), args); }
}

/** DATEADD, DATEDIFF and DATEPART with a time unit as the first argument. */
SqlNode DateaddFunctionCall() :
{
    final Span s;
    final SqlOperator op;
    final List<SqlNode> args;
    SqlNode node;
}
{
    (
        <DATEADD> { op = SqlLibraryOperators.DATEADD; }
    |
        <DATEDIFF> { op = SqlLibraryOperators.DATEDIFF; }
    |
        <DATEPART> { op = SqlLibraryOperators.DATEPART; }
    )
    { s = span(); }
    <LPAREN>
    node = TimeUnitOrName() { args = startList(node); }
    (
        <COMMA> node = Expression(ExprContext.ACCEPT_SUB_QUERY) { args.add(node); }
    )*
    <RPAREN>
    { return op.createCall(s.end(this), args); }
}

/** value::type, then any [index] or .field on the result (an extraBinaryExpressions hook). */
void InfixCast(List<Object> list, ExprContext exprContext, Span s) :
{
    final SqlDataTypeSpec type;
    SqlNode node;
    SqlNode index;
    SqlIdentifier field;
}
{
    <INFIX_CAST> {
        checkNonQueryExpression(exprContext);
    }
    type = DataType() {
        node = SqlLibraryOperators.INFIX_CAST.createCall(s.pos(),
            SqlParserUtil.toTree(list), type);
        list.clear();
    }
    (
        <LBRACKET> index = Expression(ExprContext.ACCEPT_SUB_QUERY) <RBRACKET> {
            node = SqlStdOperatorTable.ITEM.createCall(getPos(), node, index);
        }
    |
        <DOT> field = SimpleIdentifier() {
            node = SqlStdOperatorTable.DOT.createCall(getPos(), node, field);
        }
    )*
    { list.add(node); }
}

/** a <=> b, equality that treats two NULLs as equal (an extraBinaryExpressions hook). */
void NullSafeEqual(List<Object> list, ExprContext exprContext, Span s) :
{
}
{
    <NULL_SAFE_EQUAL> {
        checkNonQueryExpression(exprContext);
        list.add(new SqlParserUtil.ToTreeListItem(SqlLibraryOperators.NULL_SAFE_EQUAL, getPos()));
    }
    AddExpression2b(list, ExprContext.ACCEPT_SUB_QUERY)
}

/** DESCRIBE HISTORY t [LIMIT n]: a Delta table's commits (a statementParserMethods hook). */
SqlNode SqlDescribeHistory() :
{
    final Span s;
    final SqlIdentifier table;
    SqlNumericLiteral limit = null;
}
{
    ( <DESCRIBE> | <DESC> ) { s = span(); } <HISTORY>
    table = CompoundTableIdentifier()
    [ LOOKAHEAD(1) <LIMIT> limit = UnsignedNumericLiteral() ]
    { return new SqlDescribeHistory(s.end(this), table, limit); }
}

/**
 * x [NOT] {LIKE | ILIKE} {ANY | SOME | ALL} (p1, p2, ...) (an extraBinaryExpressions hook): a
 * binary operator whose right operand is the list of patterns; see SqlLikeQuantifiedOperator.
 */
void LikeQuantified(List<Object> list, ExprContext exprContext, Span s) :
{
    boolean negated = false;
    final boolean caseInsensitive;
    final boolean all;
    final Span s2;
    final List<SqlNode> patterns = new ArrayList<SqlNode>();
    SqlNode pattern;
}
{
    [ <NOT> { negated = true; } ]
    (
        <LIKE_ANY> { caseInsensitive = false; all = false; }
    |
        <LIKE_ALL> { caseInsensitive = false; all = true; }
    |
        <ILIKE_ANY> { caseInsensitive = true; all = false; }
    |
        <ILIKE_ALL> { caseInsensitive = true; all = true; }
    )
    {
        checkNonQueryExpression(exprContext);
        s2 = span();
    }
    pattern = Expression(ExprContext.ACCEPT_NON_QUERY) { patterns.add(pattern); }
    (
        <COMMA> pattern = Expression(ExprContext.ACCEPT_NON_QUERY) { patterns.add(pattern); }
    )*
    <RPAREN> {
        list.add(new SqlParserUtil.ToTreeListItem(
            SqlLikeQuantifiedOperator.of(negated, caseInsensitive, all), s2.pos()));
        list.add(new SqlNodeList(patterns, s2.end(this)));
    }
}

/** SHOW PARTITIONS t (a statementParserMethods hook). */
SqlNode SqlShowPartitions() :
{
    final Span s;
    final SqlIdentifier table;
}
{
    <SHOW> { s = span(); } <PARTITIONS>
    table = CompoundTableIdentifier()
    { return new SqlShowPartitions(s.end(this), table); }
}

/**
 * Databricks' MERGE INTO (a statementParserMethods hook, tried before Calcite's own MERGE): any
 * number of WHEN [NOT] MATCHED [BY SOURCE | BY TARGET] [AND cond] THEN action clauses.
 */
SqlNode SqlMergeInto() :
{
    final Span s;
    final SqlIdentifier table;
    SqlIdentifier alias = null;
    final SqlNode source;
    final SqlNode condition;
    final List<SqlMergeInto.Clause> clauses = new ArrayList<SqlMergeInto.Clause>();
    SqlMergeInto.Clause clause;
}
{
    <MERGE> { s = span(); } <INTO> table = CompoundTableIdentifier()
    [ [ <AS> ] alias = SimpleIdentifier() ]
    <USING> source = TableRef()
    <ON> condition = Expression(ExprContext.ACCEPT_SUB_QUERY)
    ( clause = MergeWhenClause() { clauses.add(clause); } )+
    { return new SqlMergeInto(s.end(this), table, alias, source, condition, clauses); }
}

/** One WHEN clause of a MERGE INTO; the action must fit the kind of clause. */
SqlMergeInto.Clause MergeWhenClause() :
{
    final Span s;
    SqlMergeInto.When when = SqlMergeInto.When.MATCHED;
    SqlNode condition = null;
    SqlIdentifier by;
    SqlIdentifier id;
    SqlNode e;
    SqlMergeInto.Action action;
    SqlNodeList columns = null;
    SqlNodeList values = null;
}
{
    <WHEN> { s = span(); }
    (
        <MATCHED>
    |
        <NOT> <MATCHED> { when = SqlMergeInto.When.NOT_MATCHED; }
        [
            <BY>
            (
                <SOURCE> { when = SqlMergeInto.When.NOT_MATCHED_BY_SOURCE; }
            |
                by = SimpleIdentifier() {
                    if (!"TARGET".equalsIgnoreCase(by.getSimple())) {
                        throw new ParseException(
                            "expected SOURCE or TARGET after NOT MATCHED BY, found " + by);
                    }
                }
            )
        ]
    )
    [ <AND> condition = Expression(ExprContext.ACCEPT_SUB_QUERY) ]
    <THEN>
    (
        <DELETE> {
            if (when == SqlMergeInto.When.NOT_MATCHED) {
                throw new ParseException("WHEN NOT MATCHED [BY TARGET] can only INSERT");
            }
            action = SqlMergeInto.Action.DELETE;
        }
    |
        <UPDATE> <SET> {
            if (when == SqlMergeInto.When.NOT_MATCHED) {
                throw new ParseException("WHEN NOT MATCHED [BY TARGET] can only INSERT");
            }
        }
        (
            <STAR> {
                if (when != SqlMergeInto.When.MATCHED) {
                    throw new ParseException("UPDATE SET * needs a WHEN MATCHED clause");
                }
                action = SqlMergeInto.Action.UPDATE_STAR;
            }
        |
            {
                action = SqlMergeInto.Action.UPDATE;
                columns = new SqlNodeList(getPos());
                values = new SqlNodeList(getPos());
            }
            id = CompoundIdentifier() { columns.add(id); }
            <EQ> e = Expression(ExprContext.ACCEPT_SUB_QUERY) { values.add(e); }
            (
                <COMMA> id = CompoundIdentifier() { columns.add(id); }
                <EQ> e = Expression(ExprContext.ACCEPT_SUB_QUERY) { values.add(e); }
            )*
        )
    |
        <INSERT> {
            if (when != SqlMergeInto.When.NOT_MATCHED) {
                throw new ParseException("INSERT needs a WHEN NOT MATCHED [BY TARGET] clause");
            }
        }
        (
            <STAR> { action = SqlMergeInto.Action.INSERT_STAR; }
        |
            { action = SqlMergeInto.Action.INSERT; }
            [ columns = ParenthesizedSimpleIdentifierList() ]
            <VALUES> <LPAREN> { values = new SqlNodeList(getPos()); }
            e = Expression(ExprContext.ACCEPT_SUB_QUERY) { values.add(e); }
            ( <COMMA> e = Expression(ExprContext.ACCEPT_SUB_QUERY) { values.add(e); } )*
            <RPAREN>
        )
    )
    { return new SqlMergeInto.Clause(s.end(this), when, condition, action, columns, values); }
}
