/* easel-template.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Prompt templates: pure functions, no I/O.
 *
 * The syntax:
 *
 *   {{subject}}          a variable: each value of its list, else its
 *                        default (spaces inside the braces are allowed)
 *   {red|blue|}          alternatives, one result each; empty ones allowed
 *   {red, blue}          Midjourney's permutations: the same with commas
 *                        (providers.md §2), also in parameter values such
 *                        as --ar {1:1, 16:9}
 *   {a|{b, c}}           groups nest, at most MAX_DEPTH deep
 *   \{ \} \| \, \\       a literal brace, bar, comma or backslash; any
 *                        other backslash is itself
 *
 * A group whose top level has a "|" is a group of alternatives and its
 * commas are text ({red, white|blue} has two options); otherwise its
 * commas separate. Spaces around each option are dropped, as Midjourney
 * does after its commas. "|" and "," outside braces are text; a "}"
 * without its "{" is an error, as a brace that is never closed. "{{" opens
 * a variable only when a name and "}}" follow; {{a|b}} is two groups.
 *
 * Variable values are text: braces in them are not expanded again.
 *
 * The order of the results is reading order, like counting: the first
 * choice in the text varies slowest, the last one fastest. A variable is a
 * choice where it is first used; its later uses repeat the same value. A
 * variable used only inside an alternative is chosen only with that
 * alternative, so `{{{a}}|cat}` gives each value of a, then "cat" once.
 *
 * Counting walks the same tree without building strings. Because the value
 * a variable takes never changes the shape of what follows, the count from
 * a point depends only on that point and on which variables are already
 * chosen, and is memoized on that: twenty groups of two are counted in
 * forty steps, not a million. Expansion first counts, and refuses (never
 * truncates) a batch larger than asked for.
 *
 * Errors are in the EASEL_ERROR domain and say where the problem is as a
 * character position counted from 1, for the editor to show beside the
 * text. */

#include "config.h"

#include "easel-template.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-error.h"
#include "easel-json.h"

#define MAX_TEMPLATE_BYTES (64 * 1024)
#define MAX_DEPTH 8
#define MAX_CHOICES 1000
#define MAX_VARIABLES 64
#define MAX_NAME_BYTES 64
#define MAX_MEMO 200000

/* Variables */

G_DEFINE_BOXED_TYPE (EaselTemplateVariable, easel_template_variable,
                     easel_template_variable_copy, easel_template_variable_free)

/**
 * easel_template_variable_new:
 * @name: the variable's name
 * @default_value: (nullable): its default
 * @values: (nullable) (array zero-terminated=1): its values
 *
 * Returns: (transfer full): a variable
 */
EaselTemplateVariable *
easel_template_variable_new (const char         *name,
                             const char         *default_value,
                             const char * const *values)
{
  EaselTemplateVariable *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (EaselTemplateVariable, 1);
  self->name = g_strdup (name);
  self->default_value = g_strdup (default_value);
  self->values = values != NULL && values[0] != NULL ? g_strdupv ((GStrv) values) : NULL;
  return self;
}

/**
 * easel_template_variable_copy:
 * @self: a variable
 *
 * Returns: (transfer full): a copy of @self
 */
EaselTemplateVariable *
easel_template_variable_copy (const EaselTemplateVariable *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return easel_template_variable_new (self->name, self->default_value, (const char * const *) self->values);
}

/**
 * easel_template_variable_free:
 * @self: (nullable) (transfer full): a variable
 */
void
easel_template_variable_free (EaselTemplateVariable *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->default_value);
  g_strfreev (self->values);
  g_free (self);
}

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '-';
}

/**
 * easel_template_variable_name_is_valid:
 * @name: a name
 *
 * Returns: whether @name can be used as `{{name}}`: ASCII letters, digits,
 *   `_` and `-`, starting with a letter or `_`, at most 64 bytes
 */
gboolean
easel_template_variable_name_is_valid (const char *name)
{
  gsize length;

  g_return_val_if_fail (name != NULL, FALSE);

  length = strlen (name);
  if (length == 0 || length > MAX_NAME_BYTES || !is_name_start (name[0]))
    return FALSE;
  for (gsize i = 1; i < length; i++)
    if (!is_name_char (name[i]))
      return FALSE;
  return TRUE;
}

/**
 * easel_template_variables_to_json:
 * @variables: (element-type EaselTemplateVariable) (nullable): variables
 *
 * Returns: (transfer full): @variables in the form of the
 *   `template_versions.variables` column:
 *   `[{"name": …, "default": … or null, "values": […]}]`
 */
char *
easel_template_variables_to_json (GPtrArray *variables)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; variables != NULL && i < variables->len; i++)
    {
      EaselTemplateVariable *variable = g_ptr_array_index (variables, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, variable->name);
      json_builder_set_member_name (builder, "default");
      if (variable->default_value != NULL)
        json_builder_add_string_value (builder, variable->default_value);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "values");
      json_builder_begin_array (builder);
      for (guint k = 0; variable->values != NULL && variable->values[k] != NULL; k++)
        json_builder_add_string_value (builder, variable->values[k]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
is_string_node (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/**
 * easel_template_variables_from_json:
 * @json: what easel_template_variables_to_json() wrote
 * @error: return location for a #GError
 *
 * Reads a list of variables strictly: every name valid and given once,
 * defaults text or null, values lists of text.
 *
 * Returns: (transfer container) (element-type EaselTemplateVariable): the
 *   variables, or %NULL with %EASEL_ERROR_INVALID_PARAMETER
 */
GPtrArray *
easel_template_variables_from_json (const char  *json,
                                    GError     **error)
{
  g_autoptr(GPtrArray) variables = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_template_variable_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  g_return_val_if_fail (json != NULL, NULL);

  root = easel_json_parse (json, strlen (json), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                           _("The template’s variables are not a list"));
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;
      JsonObject *object;
      JsonNode *member;
      const char *name;
      const char *default_value = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (member = json_object_get_member (object = json_node_get_object (node), "name")) == NULL ||
          !is_string_node (member) ||
          !easel_template_variable_name_is_valid (name = json_node_get_string (member)))
        {
          /* Translators: %u is the position of a variable in a list, from 1 */
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("Variable %u of the template has no valid name"), i + 1);
          return NULL;
        }
      if (g_hash_table_contains (seen, name))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("The template has two variables named “%s”"), name);
          return NULL;
        }
      g_hash_table_add (seen, (gpointer) name);

      member = json_object_get_member (object, "default");
      if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
        {
          if (!is_string_node (member))
            {
              g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                           _("The default of variable “%s” is not text"), name);
              return NULL;
            }
          default_value = json_node_get_string (member);
        }

      member = json_object_get_member (object, "values");
      if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
        {
          JsonArray *list = JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;

          for (guint k = 0; list != NULL && k < json_array_get_length (list); k++)
            {
              if (!is_string_node (json_array_get_element (list, k)))
                {
                  list = NULL;
                  break;
                }
              g_strv_builder_add (values, json_array_get_string_element (list, k));
            }
          if (list == NULL)
            {
              g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                           _("The values of variable “%s” are not a list of text"), name);
              return NULL;
            }
        }

      strv = g_strv_builder_end (values);
      g_ptr_array_add (variables, easel_template_variable_new (name, default_value, (const char * const *) strv));
    }
  return g_steal_pointer (&variables);
}

/* Expansions */

G_DEFINE_BOXED_TYPE (EaselExpansion, easel_expansion, easel_expansion_copy, easel_expansion_free)

static EaselExpansion *
expansion_new (const char *prompt,
               JsonObject *bindings)
{
  EaselExpansion *self = g_new0 (EaselExpansion, 1);

  self->prompt = g_strdup (prompt);
  self->bindings = bindings;
  return self;
}

/**
 * easel_expansion_copy:
 * @self: an expansion
 *
 * Returns: (transfer full): a copy of @self (the bindings are copied too)
 */
EaselExpansion *
easel_expansion_copy (const EaselExpansion *self)
{
  JsonObject *bindings = json_object_new ();

  g_return_val_if_fail (self != NULL, NULL);

  if (self->bindings != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, self->bindings);
      while (json_object_iter_next (&iter, &name, &node))
        json_object_set_member (bindings, name, json_node_copy (node));
    }
  return expansion_new (self->prompt, bindings);
}

/**
 * easel_expansion_free:
 * @self: (nullable) (transfer full): an expansion
 */
void
easel_expansion_free (EaselExpansion *self)
{
  if (self == NULL)
    return;

  g_free (self->prompt);
  g_clear_pointer (&self->bindings, json_object_unref);
  g_free (self);
}

/* The parse tree */

typedef enum
{
  PART_TEXT,
  PART_VARIABLE,
  PART_GROUP,
} PartKind;

typedef struct _Seq Seq;

typedef struct
{
  PartKind    kind;
  char       *text;      /* TEXT: the text; VARIABLE: the name */
  guint       var;       /* VARIABLE: index into Parser.names */
  GPtrArray  *options;   /* GROUP: Seq */
} Part;

/* A sequence of parts: the whole text, or one option of a group. */
struct _Seq
{
  GPtrArray *parts;      /* Part */
  Seq       *parent;     /* the sequence holding the group of this option */
  guint      parent_index;
  guint      id;
};

static void seq_free (Seq *seq);

static void
part_free (Part *part)
{
  g_free (part->text);
  g_clear_pointer (&part->options, g_ptr_array_unref);
  g_free (part);
}

static Seq *
seq_new (void)
{
  Seq *seq = g_new0 (Seq, 1);

  seq->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  return seq;
}

static void
seq_free (Seq *seq)
{
  g_ptr_array_unref (seq->parts);
  g_free (seq);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Seq, seq_free)

static void
seq_add_text (Seq        *seq,
              GString    *pending)
{
  Part *part;

  if (pending->len == 0)
    return;
  part = g_new0 (Part, 1);
  part->kind = PART_TEXT;
  part->text = g_strndup (pending->str, pending->len);
  g_ptr_array_add (seq->parts, part);
  g_string_truncate (pending, 0);
}

/* Drops the spaces around an option. */
static void
seq_trim (Seq *seq)
{
  Part *first, *last;

  if (seq->parts->len == 0)
    return;
  first = g_ptr_array_index (seq->parts, 0);
  last = g_ptr_array_index (seq->parts, seq->parts->len - 1);
  if (first->kind == PART_TEXT)
    g_strchug (first->text);
  if (last->kind == PART_TEXT)
    g_strchomp (last->text);
}

/* Links every option to where its text goes on, and numbers the
 * sequences for the count's memo. */
static void
seq_link (Seq   *seq,
          guint *next_id)
{
  seq->id = (*next_id)++;
  for (guint i = 0; i < seq->parts->len; i++)
    {
      Part *part = g_ptr_array_index (seq->parts, i);

      if (part->kind != PART_GROUP)
        continue;
      for (guint k = 0; k < part->options->len; k++)
        {
          Seq *option = g_ptr_array_index (part->options, k);

          option->parent = seq;
          option->parent_index = i;
          seq_link (option, next_id);
        }
    }
}

/* The parser */

typedef struct
{
  const char *text;
  const char *p;
  GPtrArray  *names;       /* distinct variable names, in order of first use */
  GPtrArray  *first_use;   /* const char *: where each was first used */
  guint       n_choices;
} Parser;

static guint
char_position (const char *text,
               const char *at)
{
  return (guint) g_utf8_pointer_to_offset (text, at) + 1;
}

static gboolean
count_choice (Parser      *parser,
              const char  *at,
              GError     **error)
{
  if (++parser->n_choices <= MAX_CHOICES)
    return TRUE;
  /* Translators: %u is a character position in the text, from 1; %d a number */
  g_set_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                _("Too many choices at character %u: at most %d braces and variables"),
                char_position (parser->text, at), MAX_CHOICES);
  return FALSE;
}

/* Whether "{{ name }}" starts at @p: then @name and @end are set. A "{{"
 * followed by "}}" with nothing special in between is meant as a
 * variable, so a bad name there is an error rather than text. */
static gboolean
match_variable (const char  *text,
                const char  *p,
                char       **name,
                const char **end,
                GError     **error)
{
  const char *close;
  g_autofree char *inner = NULL;

  *name = NULL;
  if (p[0] != '{' || p[1] != '{')
    return FALSE;
  /* Only up to the next special character, so that scanning stays linear. */
  close = p + 2 + strcspn (p + 2, "{}|,\\");
  if (close[0] != '}' || close[1] != '}')
    return FALSE;

  inner = g_strstrip (g_strndup (p + 2, close - (p + 2)));
  if (inner[0] == '\0')
    {
      /* Translators: %u is a character position in the text, from 1 */
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                    _("Empty variable name at character %u"), char_position (text, p));
      return TRUE;
    }
  if (!easel_template_variable_name_is_valid (inner))
    {
      /* Translators: %s is what was written as a variable name, %u a character position from 1 */
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                    _("“%s” at character %u is not a variable name: use letters, digits, “_” and “-”"),
                    inner, char_position (text, p));
      return TRUE;
    }
  *name = g_steal_pointer (&inner);
  *end = close + 2;
  return TRUE;
}

static gboolean parse_group (Parser      *parser,
                             guint        depth,
                             Part       **group,
                             GError     **error);

/* Reads parts into @seq up to the end of the text or, in a group, up to
 * the "}", "|" or "," that ends the option (consumed, in @terminator). */
static gboolean
parse_seq (Parser      *parser,
           guint        depth,
           const char  *open,
           Seq         *seq,
           char        *terminator,
           GError     **error)
{
  g_autoptr(GString) pending = g_string_new (NULL);
  const char *text = parser->text;

  for (;;)
    {
      const char *p = parser->p;

      switch (*p)
        {
        case '\0':
          if (open != NULL)
            {
              /* Translators: %u is a character position in the text, from 1 */
              g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                            _("The brace at character %u is never closed: add a “}”, or write “\\{” for a literal brace"),
                            char_position (text, open));
              return FALSE;
            }
          seq_add_text (seq, pending);
          *terminator = '\0';
          return TRUE;

        case '\\':
          if (p[1] != '\0' && strchr ("{}|,\\", p[1]) != NULL)
            {
              g_string_append_c (pending, p[1]);
              parser->p += 2;
            }
          else
            {
              g_string_append_c (pending, '\\');
              parser->p++;
            }
          break;

        case '{':
          {
            g_autofree char *name = NULL;
            const char *end = NULL;
            GError *local_error = NULL;
            Part *part = NULL;

            if (match_variable (text, p, &name, &end, &local_error))
              {
                guint index;

                if (name == NULL)
                  {
                    g_propagate_error (error, local_error);
                    return FALSE;
                  }
                if (!count_choice (parser, p, error))
                  return FALSE;
                if (!g_ptr_array_find_with_equal_func (parser->names, name, g_str_equal, &index))
                  {
                    if (parser->names->len >= MAX_VARIABLES)
                      {
                        /* Translators: %u is a character position from 1, %d a number */
                        g_set_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                                      _("Too many variables at character %u: at most %d"),
                                      char_position (text, p), MAX_VARIABLES);
                        return FALSE;
                      }
                    index = parser->names->len;
                    g_ptr_array_add (parser->names, g_strdup (name));
                    g_ptr_array_add (parser->first_use, (gpointer) p);
                  }
                seq_add_text (seq, pending);
                part = g_new0 (Part, 1);
                part->kind = PART_VARIABLE;
                part->text = g_steal_pointer (&name);
                part->var = index;
                g_ptr_array_add (seq->parts, part);
                parser->p = end;
                break;
              }

            if (depth + 1 > MAX_DEPTH)
              {
                /* Translators: %u is a character position from 1, %d a number */
                g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                              _("The brace at character %u is nested too deep: at most %d levels"),
                              char_position (text, p), MAX_DEPTH);
                return FALSE;
              }
            if (!count_choice (parser, p, error))
              return FALSE;
            seq_add_text (seq, pending);
            if (!parse_group (parser, depth + 1, &part, error))
              return FALSE;
            g_ptr_array_add (seq->parts, part);
          }
          break;

        case '}':
          if (open == NULL)
            {
              /* Translators: %u is a character position in the text, from 1 */
              g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                            _("The brace at character %u closes nothing: remove it, or write “\\}” for a literal brace"),
                            char_position (text, p));
              return FALSE;
            }
          G_GNUC_FALLTHROUGH;
        case '|':
        case ',':
          if (open != NULL)
            {
              seq_add_text (seq, pending);
              *terminator = *p;
              parser->p++;
              return TRUE;
            }
          g_string_append_c (pending, *p);
          parser->p++;
          break;

        default:
          {
            const char *next = g_utf8_next_char (p);

            g_string_append_len (pending, p, next - p);
            parser->p = next;
          }
          break;
        }
    }
}

/* Reads a group from its "{" to its "}". */
static gboolean
parse_group (Parser  *parser,
             guint    depth,
             Part   **group,
             GError **error)
{
  const char *open = parser->p;
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) seq_free);
  g_autoptr(GString) separators = g_string_new (NULL);
  g_autoptr(GPtrArray) options = NULL;
  Part *part;

  parser->p++;
  for (;;)
    {
      g_autoptr(Seq) piece = seq_new ();
      char terminator;

      if (!parse_seq (parser, depth, open, piece, &terminator, error))
        return FALSE;
      g_ptr_array_add (pieces, g_steal_pointer (&piece));
      if (terminator == '}')
        break;
      g_string_append_c (separators, terminator);
    }

  if (strchr (separators->str, '|') == NULL)
    options = g_steal_pointer (&pieces);
  else
    {
      /* Alternatives: commas are text, so the pieces between commas join. */
      Seq *current = NULL;

      options = g_ptr_array_new_with_free_func ((GDestroyNotify) seq_free);
      guint n = pieces->len;

      for (guint i = 0; i < n; i++)
        {
          Seq *piece = g_ptr_array_steal_index (pieces, 0);

          if (i == 0 || separators->str[i - 1] == '|')
            {
              current = piece;
              g_ptr_array_add (options, current);
              continue;
            }
          {
            g_autoptr(GString) comma = g_string_new (",");

            seq_add_text (current, comma);
          }
          g_ptr_array_extend_and_steal (current->parts, g_steal_pointer (&piece->parts));
          piece->parts = g_ptr_array_new ();
          seq_free (piece);
        }
    }

  for (guint i = 0; i < options->len; i++)
    seq_trim (g_ptr_array_index (options, i));

  part = g_new0 (Part, 1);
  part->kind = PART_GROUP;
  part->options = g_steal_pointer (&options);
  *group = part;
  return TRUE;
}

static void
parser_clear (Parser *parser)
{
  g_clear_pointer (&parser->names, g_ptr_array_unref);
  g_clear_pointer (&parser->first_use, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parser, parser_clear)

static Seq *
parse (Parser      *parser,
       const char  *text,
       GError     **error)
{
  g_autoptr(Seq) root = seq_new ();
  const char *invalid = NULL;
  gsize length = strlen (text);
  guint next_id = 0;
  char terminator;

  parser->text = text;
  parser->p = text;
  parser->names = g_ptr_array_new_with_free_func (g_free);
  parser->first_use = g_ptr_array_new ();

  if (!g_utf8_validate (text, length, &invalid))
    {
      /* Translators: %u is a character position in the text, from 1 */
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("The text is not valid UTF-8 at character %u"),
                   (guint) g_utf8_strlen (text, invalid - text) + 1);
      return NULL;
    }
  if (length > MAX_TEMPLATE_BYTES)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                   _("The text is too long: at most %d bytes"), MAX_TEMPLATE_BYTES);
      return NULL;
    }

  if (!parse_seq (parser, 0, NULL, root, &terminator, error))
    return NULL;
  seq_link (root, &next_id);
  return g_steal_pointer (&root);
}

/* Values */

typedef struct
{
  const char   *name;
  GStrv         values;
} Var;

static void
vars_free (Var   *vars,
           guint  n)
{
  for (guint i = 0; i < n; i++)
    g_strfreev (vars[i].values);
  g_free (vars);
}

/* The values of each variable of @parser: pinned by @values, else the
 * variable's list, else its default. */
static Var *
resolve (Parser      *parser,
         GPtrArray   *variables,
         JsonObject  *values,
         GError     **error)
{
  Var *vars = g_new0 (Var, MAX (parser->names->len, 1));

  for (guint i = 0; i < parser->names->len; i++)
    {
      const char *name = g_ptr_array_index (parser->names, i);
      const char *at = g_ptr_array_index (parser->first_use, i);
      EaselTemplateVariable *variable = NULL;
      JsonNode *pinned = values != NULL ? json_object_get_member (values, name) : NULL;

      vars[i].name = name;
      for (guint k = 0; variables != NULL && k < variables->len; k++)
        if (g_str_equal (((EaselTemplateVariable *) g_ptr_array_index (variables, k))->name, name))
          variable = g_ptr_array_index (variables, k);

      if (pinned != NULL)
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          gboolean ok = TRUE;

          if (is_string_node (pinned))
            g_strv_builder_add (builder, json_node_get_string (pinned));
          else if (JSON_NODE_HOLDS_ARRAY (pinned))
            {
              JsonArray *array = json_node_get_array (pinned);

              ok = json_array_get_length (array) > 0;
              for (guint k = 0; ok && k < json_array_get_length (array); k++)
                {
                  ok = is_string_node (json_array_get_element (array, k));
                  if (ok)
                    g_strv_builder_add (builder, json_array_get_string_element (array, k));
                }
            }
          else
            ok = FALSE;

          if (!ok)
            {
              /* Translators: %s is a variable name, %u a character position from 1 */
              g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                            _("The value given for variable “%s” (character %u) must be text or a non-empty list of text"),
                            name, char_position (parser->text, at));
              vars_free (vars, parser->names->len);
              return NULL;
            }
          vars[i].values = g_strv_builder_end (builder);
        }
      else if (variable != NULL && variable->values != NULL && variable->values[0] != NULL)
        vars[i].values = g_strdupv (variable->values);
      else if (variable != NULL && variable->default_value != NULL)
        {
          const char *single[] = { variable->default_value, NULL };

          vars[i].values = g_strdupv ((GStrv) single);
        }
      else
        {
          if (variable == NULL)
            /* Translators: %s is a variable name, %u a character position from 1 */
            g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                          _("Unknown variable “%s” at character %u"),
                          name, char_position (parser->text, at));
          else
            /* Translators: %s is a variable name, %u a character position from 1 */
            g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                          _("Variable “%s” at character %u has no value: give it a default or a list of values"),
                          name, char_position (parser->text, at));
          vars_free (vars, parser->names->len);
          return NULL;
        }
    }
  return vars;
}

/* Counting */

typedef struct
{
  guint   seq;
  guint   index;
  guint64 bound;
} MemoKey;

static guint
memo_key_hash (gconstpointer data)
{
  const MemoKey *key = data;

  return g_int64_hash (&key->bound) ^ (key->seq * 2654435761u) ^ (key->index * 40503u);
}

static gboolean
memo_key_equal (gconstpointer a,
                gconstpointer b)
{
  const MemoKey *x = a, *y = b;

  return x->seq == y->seq && x->index == y->index && x->bound == y->bound;
}

typedef struct
{
  Var        *vars;
  GHashTable *memo;      /* MemoKey → guint64 */
  gboolean    too_complex;
} Counter;

static guint64
add_saturated (guint64 a,
               guint64 b)
{
  return a > G_MAXUINT64 - b ? G_MAXUINT64 : a + b;
}

static guint64
mul_saturated (guint64 a,
               guint64 b)
{
  return b != 0 && a > G_MAXUINT64 / b ? G_MAXUINT64 : a * b;
}

static guint64
count_from (Counter *counter,
            Seq     *seq,
            guint    index,
            guint64  bound)
{
  for (;;)
    {
      MemoKey key = { 0 }, *stored;
      guint64 *cached, result = 0;
      Part *part;

      if (index == seq->parts->len)
        {
          if (seq->parent == NULL)
            return 1;
          index = seq->parent_index + 1;
          seq = seq->parent;
          continue;
        }

      part = g_ptr_array_index (seq->parts, index);
      if (part->kind == PART_TEXT ||
          (part->kind == PART_VARIABLE && (bound & (G_GUINT64_CONSTANT (1) << part->var)) != 0))
        {
          index++;
          continue;
        }

      key.seq = seq->id;
      key.index = index;
      key.bound = bound;
      cached = g_hash_table_lookup (counter->memo, &key);
      if (cached != NULL)
        return *cached;
      if (counter->too_complex || g_hash_table_size (counter->memo) >= MAX_MEMO)
        {
          counter->too_complex = TRUE;
          return 0;
        }

      if (part->kind == PART_VARIABLE)
        result = mul_saturated (g_strv_length (counter->vars[part->var].values),
                                count_from (counter, seq, index + 1,
                                            bound | (G_GUINT64_CONSTANT (1) << part->var)));
      else
        for (guint k = 0; k < part->options->len; k++)
          result = add_saturated (result, count_from (counter, g_ptr_array_index (part->options, k), 0, bound));

      stored = g_memdup2 (&key, sizeof key);
      g_hash_table_insert (counter->memo, stored, g_memdup2 (&result, sizeof result));
      return result;
    }
}

static gboolean
count_tree (Seq      *root,
            Var      *vars,
            guint64  *count,
            GError  **error)
{
  Counter counter = { vars, NULL, FALSE };

  counter.memo = g_hash_table_new_full (memo_key_hash, memo_key_equal, g_free, g_free);
  *count = count_from (&counter, root, 0, 0);
  g_hash_table_unref (counter.memo);

  if (counter.too_complex)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                           _("The text has too many choices inside alternatives to count"));
      return FALSE;
    }
  if (*count == G_MAXUINT64)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                           _("The text expands to more prompts than can be counted"));
      return FALSE;
    }
  return TRUE;
}

/* Expanding */

typedef struct
{
  Var        *vars;
  guint       n_vars;
  const char **chosen;    /* per variable: its value on this path, or NULL */
  GPtrArray  *results;    /* EaselExpansion */
} Walker;

static void
emit (Walker  *walker,
      GString *text)
{
  JsonObject *bindings = json_object_new ();

  for (guint i = 0; i < walker->n_vars; i++)
    if (walker->chosen[i] != NULL)
      json_object_set_string_member (bindings, walker->vars[i].name, walker->chosen[i]);
  g_ptr_array_add (walker->results, expansion_new (text->str, bindings));
}

/* Appends what is certain from (@seq, @index) on, then branches at the
 * first choice. Every branch leaves @text as it found it. */
static void
walk (Walker  *walker,
      Seq     *seq,
      guint    index,
      GString *text)
{
  gsize length = text->len;

  for (;;)
    {
      Part *part;

      if (index == seq->parts->len)
        {
          if (seq->parent == NULL)
            {
              emit (walker, text);
              break;
            }
          index = seq->parent_index + 1;
          seq = seq->parent;
          continue;
        }

      part = g_ptr_array_index (seq->parts, index);
      if (part->kind == PART_TEXT)
        {
          g_string_append (text, part->text);
          index++;
          continue;
        }
      if (part->kind == PART_VARIABLE && walker->chosen[part->var] != NULL)
        {
          g_string_append (text, walker->chosen[part->var]);
          index++;
          continue;
        }

      if (part->kind == PART_VARIABLE)
        {
          GStrv values = walker->vars[part->var].values;
          gsize before = text->len;

          for (guint k = 0; values[k] != NULL; k++)
            {
              walker->chosen[part->var] = values[k];
              g_string_append (text, values[k]);
              walk (walker, seq, index + 1, text);
              g_string_truncate (text, before);
            }
          walker->chosen[part->var] = NULL;
        }
      else
        {
          for (guint k = 0; k < part->options->len; k++)
            walk (walker, g_ptr_array_index (part->options, k), 0, text);
        }
      break;
    }
  g_string_truncate (text, length);
}

/* Public functions */

/**
 * easel_template_validate:
 * @text: a template or prompt
 * @error: return location for a #GError
 *
 * Checks the syntax of @text only: braces, escapes, variable names, UTF-8
 * and size, not whether its variables have values.
 *
 * Returns: whether @text is a valid template; otherwise @error says what
 *   is wrong and at which character
 */
gboolean
easel_template_validate (const char  *text,
                         GError     **error)
{
  g_auto(Parser) parser = { 0 };
  g_autoptr(Seq) root = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  root = parse (&parser, text, error);
  return root != NULL;
}

/**
 * easel_template_count:
 * @text: a template or prompt
 * @variables: (nullable) (element-type EaselTemplateVariable): its variables
 * @values: (nullable): values that override the variables': name → text,
 *   or name → list of text
 * @count: (out): how many prompts @text expands to
 * @error: return location for a #GError
 *
 * Counts the prompts easel_template_expand() would give, without making
 * them, so that a huge batch can be refused at once.
 *
 * Returns: %TRUE with @count set, or %FALSE with @error set as
 *   easel_template_expand() would
 */
gboolean
easel_template_count (const char  *text,
                      GPtrArray   *variables,
                      JsonObject  *values,
                      guint64     *count,
                      GError     **error)
{
  g_auto(Parser) parser = { 0 };
  g_autoptr(Seq) root = NULL;
  Var *vars;
  gboolean ok;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  *count = 0;
  root = parse (&parser, text, error);
  if (root == NULL)
    return FALSE;
  vars = resolve (&parser, variables, values, error);
  if (vars == NULL)
    return FALSE;
  ok = count_tree (root, vars, count, error);
  vars_free (vars, parser.names->len);
  return ok;
}

/**
 * easel_template_expand:
 * @text: a template or prompt
 * @variables: (nullable) (element-type EaselTemplateVariable): its variables
 * @values: (nullable): values that override the variables': name → text
 *   (that value only) or name → list of text (each of them); names that
 *   @text does not use are ignored
 * @max_results: the most prompts the caller takes, at least 1
 * @error: return location for a #GError
 *
 * Expands variables, alternatives and permutations into every prompt they
 * stand for, in reading order (the last choice in the text varies
 * fastest; see easel-template.c for the syntax). Text without braces
 * gives itself, once.
 *
 * Errors are %EASEL_ERROR_INVALID_PARAMETER for the syntax, an unknown
 * variable or one without a value, and %EASEL_ERROR_TOO_LARGE when there
 * would be more than @max_results prompts (nothing is expanded then); the
 * message gives the character position (from 1) of the problem.
 *
 * Returns: (transfer container) (element-type EaselExpansion): the
 *   prompts with their variable bindings, or %NULL with @error set
 */
GPtrArray *
easel_template_expand (const char  *text,
                       GPtrArray   *variables,
                       JsonObject  *values,
                       guint        max_results,
                       GError     **error)
{
  g_auto(Parser) parser = { 0 };
  g_autoptr(Seq) root = NULL;
  g_autoptr(GString) buffer = NULL;
  g_autofree const char **chosen = NULL;
  Walker walker = { 0 };
  guint64 count;
  Var *vars;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (max_results > 0, NULL);

  root = parse (&parser, text, error);
  if (root == NULL)
    return NULL;
  vars = resolve (&parser, variables, values, error);
  if (vars == NULL)
    return NULL;
  if (!count_tree (root, vars, &count, error))
    {
      vars_free (vars, parser.names->len);
      return NULL;
    }
  if (count > max_results)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, count);

      /* Translators: %s is a number of prompts, %u the largest allowed */
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                   _("The text expands to %s prompts, more than the %u allowed"), number, max_results);
      vars_free (vars, parser.names->len);
      return NULL;
    }

  chosen = g_new0 (const char *, MAX (parser.names->len, 1));
  buffer = g_string_new (NULL);
  walker.vars = vars;
  walker.n_vars = parser.names->len;
  walker.chosen = chosen;
  walker.results = g_ptr_array_new_full ((guint) count, (GDestroyNotify) easel_expansion_free);
  walk (&walker, root, 0, buffer);
  g_assert (walker.results->len == count);
  vars_free (vars, parser.names->len);
  return walker.results;
}

/**
 * easel_template_get_variable_names:
 * @text: a template, possibly still being typed
 *
 * The names of the `{{variables}}` in @text, each once, in order of first
 * use. Text with syntax errors elsewhere still gives the variables that
 * can be read, so the editor can list them while the user types.
 *
 * Returns: (transfer full): the names
 */
GStrv
easel_template_get_variable_names (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return g_strv_builder_end (builder);

  for (const char *p = text; *p != '\0'; p++)
    {
      g_autofree char *name = NULL;
      const char *end = NULL;

      if (*p == '\\' && p[1] != '\0' && strchr ("{}|,\\", p[1]) != NULL)
        {
          p++;
          continue;
        }
      if (*p != '{' || !match_variable (text, p, &name, &end, NULL) || name == NULL)
        continue;
      if (!g_hash_table_contains (seen, name))
        {
          g_strv_builder_add (builder, name);
          g_hash_table_add (seen, g_steal_pointer (&name));
        }
      p = end - 1;
    }
  return g_strv_builder_end (builder);
}

/**
 * easel_template_check_for_provider:
 * @prompt: an expanded prompt, about to be sent
 * @provider: a provider id
 * @error: return location for a #GError
 *
 * Whether @prompt can go to @provider as it is. Midjourney reads braces as
 * permutations on its side, which would run (and bill) more jobs than
 * Easel counted; so after Easel's own expansion, a literal brace (written
 * `\{` or coming from a variable's value) is refused for Midjourney rather
 * than silently dropped. Other providers take braces as text.
 *
 * Returns: %TRUE if @prompt can be sent, otherwise %FALSE with
 *   %EASEL_ERROR_INVALID_PARAMETER
 */
gboolean
easel_template_check_for_provider (const char  *prompt,
                                   const char  *provider,
                                   GError     **error)
{
  const char *brace;

  g_return_val_if_fail (provider != NULL, FALSE);

  if (prompt == NULL || !g_str_equal (provider, "midjourney"))
    return TRUE;

  brace = strpbrk (prompt, "{}");
  if (brace == NULL)
    return TRUE;
  /* Translators: %u is a character position in the prompt, from 1 */
  g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
               _("Midjourney reads braces as permutations, so the literal brace at character %u cannot be sent: remove it"),
               g_utf8_validate (prompt, brace - prompt, NULL) ? char_position (prompt, brace) : 0);
  return FALSE;
}

/* A variable's value list as one line of text */

/**
 * easel_template_values_split:
 * @text: values separated by `|`, as the editor shows them
 *
 * Reads a variable's value list typed on one line: values are separated
 * by `|` and trimmed, and empty ones are dropped. As in a template, `\|`
 * is a literal bar and `\\` a backslash; any other backslash is itself,
 * so `C:\art` needs no escaping.
 *
 * Returns: (transfer full): the values, possibly none
 */
GStrv
easel_template_values_split (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) value = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, g_strv_builder_end (builder));

  for (const char *p = text;; p++)
    {
      if (*p == '\\' && (p[1] == '|' || p[1] == '\\'))
        g_string_append_c (value, *++p);
      else if (*p == '|' || *p == '\0')
        {
          g_autofree char *stripped = g_strstrip (g_strdup (value->str));

          if (stripped[0] != '\0')
            g_strv_builder_add (builder, stripped);
          g_string_truncate (value, 0);
          if (*p == '\0')
            break;
        }
      else
        g_string_append_c (value, *p);
    }
  return g_strv_builder_end (builder);
}

/**
 * easel_template_values_join:
 * @values: (nullable) (array zero-terminated=1): a variable's values
 *
 * The inverse of easel_template_values_split(): the values separated by
 * " | ", with `|` and `\` in them escaped.
 *
 * Returns: (transfer full): the line
 */
char *
easel_template_values_join (const char * const *values)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (line, " | ");
      for (const char *p = values[i]; *p != '\0'; p++)
        {
          if (*p == '|' || *p == '\\')
            g_string_append_c (line, '\\');
          g_string_append_c (line, *p);
        }
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}
