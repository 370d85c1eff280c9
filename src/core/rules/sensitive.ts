/** What reports show instead of a sensitive variable's value (a module of its own: reports load it without the rule schemas). */
export const SENSITIVE_MASK = '********';
