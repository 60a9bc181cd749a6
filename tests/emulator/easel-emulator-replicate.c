/* easel-emulator-replicate.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Replicate's HTTP API (providers.md §3): official-model and versioned
 * predictions, Prefer: wait, Cancel-After, cancel, cursor-paginated
 * listing, model schemas, the Files API, and the one-hour output
 * retention.
 *
 * A prediction is "starting" for the queued time, then "processing" while
 * tqdm-style progress lines accumulate in its logs, then "succeeded" (or
 * "failed" for the marker words). Its outputs are rendered on request from
 * (model, prompt, seed, index), so nothing big is kept in memory. Inputs
 * are validated against the same table the published OpenAPI schema is
 * generated from, so the two cannot disagree.
 */

#include "config.h"

#include "easel-emulator-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Model table -------------------------------------------------------- */

typedef enum
{
  IN_STRING,
  IN_URI,
  IN_INTEGER,
  IN_NUMBER,
  IN_BOOLEAN,
  IN_ENUM,
  IN_ARRAY,     /* an array of strings */
  IN_UNTYPED,   /* a property without a type: anything goes */
} InputType;

typedef struct
{
  const char        *name;
  InputType          type;
  const char        *description;
  const char        *default_json;   /* JSON text, or NULL for no default */
  double             minimum;
  double             maximum;
  gboolean           has_range;
  const char *const *choices;
  gboolean           required;
} ModelInput;

typedef struct
{
  const char       *owner;
  const char       *name;
  const char       *description;
  const char       *version;        /* latest version id */
  const char       *older_version;  /* another accepted version id, or NULL */
  gboolean          official;
  gboolean          many_outputs;   /* output is an array of URLs */
  const char       *fixed_format;   /* output format when there is no output_format input */
  const ModelInput *inputs;
} Model;

#define IN_STR(n, d, def)       { .name = n, .type = IN_STRING, .description = d, .default_json = def }
#define IN_PROMPT(d)            { .name = "prompt", .type = IN_STRING, .description = d, .required = TRUE }
#define IN_IMAGE(n, d)          { .name = n, .type = IN_URI, .description = d }
#define IN_INT(n, d, def, lo, hi) \
  { .name = n, .type = IN_INTEGER, .description = d, .default_json = def, \
    .minimum = lo, .maximum = hi, .has_range = TRUE }
#define IN_SEED(d)              { .name = "seed", .type = IN_INTEGER, .description = d }
#define IN_NUM(n, d, def, lo, hi) \
  { .name = n, .type = IN_NUMBER, .description = d, .default_json = def, \
    .minimum = lo, .maximum = hi, .has_range = TRUE }
#define IN_BOOL(n, d, def)      { .name = n, .type = IN_BOOLEAN, .description = d, .default_json = def }
#define IN_ENUM(n, d, def, set) { .name = n, .type = IN_ENUM, .description = d, .default_json = def, \
                                  .choices = set }
#define IN_LIST(n, d)           { .name = n, .type = IN_ARRAY, .description = d }
#define IN_ANY(n, d)            { .name = n, .type = IN_UNTYPED, .description = d }
#define IN_END                  { NULL }

static const char *const flux_ratios[] = {
  "1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21", NULL
};
static const char *const flux_formats[] = { "webp", "jpg", "png", NULL };
static const char *const flux_megapixels[] = { "1", "0.25", NULL };
static const char *const pro_ratios[] = {
  "custom", "1:1", "16:9", "3:2", "2:3", "4:5", "5:4", "9:16", "3:4", "4:3", NULL
};
static const char *const ideogram_ratios[] = {
  "1:3", "3:1", "1:2", "2:1", "9:16", "16:9", "10:16", "16:10", "2:3", "3:2", "3:4", "4:3",
  "4:5", "5:4", "1:1", NULL
};
static const char *const ideogram_resolutions[] = {
  "None", "512x1536", "576x1408", "640x1344", "704x1152", "768x1024", "832x960", "896x896",
  "960x832", "1024x768", "1152x704", "1280x640", "1344x576", "1536x512", NULL
};
static const char *const ideogram_magic[] = { "Auto", "On", "Off", NULL };
static const char *const ideogram_styles[] = {
  "None", "Auto", "General", "Realistic", "Design", NULL
};
static const char *const recraft_sizes[] = {
  "1024x1024", "1365x1024", "1024x1365", "1536x1024", "1024x1536", "1820x1024", "1024x1820",
  "1024x2048", "2048x1024", "1434x1024", "1024x1434", "1024x1280", "1280x1024", "1024x1707",
  "1707x1024", NULL
};
static const char *const recraft_ratios[] = {
  "Not set", "1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16", "1:2", "2:1", "7:5", "5:7",
  "4:5", "5:4", "3:5", "5:3", NULL
};
static const char *const recraft_styles[] = {
  "any", "realistic_image", "digital_illustration", "digital_illustration/pixel_art",
  "digital_illustration/hand_drawn", "digital_illustration/grain",
  "digital_illustration/infantile_sketch", "digital_illustration/2d_art_poster",
  "digital_illustration/handmade_3d", "digital_illustration/hand_drawn_outline",
  "digital_illustration/engraving_color", "realistic_image/b_and_w",
  "realistic_image/hard_flash", "realistic_image/hdr", "realistic_image/natural_light",
  "realistic_image/studio_portrait", "realistic_image/enterprise",
  "realistic_image/motion_blur", NULL
};
static const char *const sdxl_schedulers[] = {
  "DDIM", "DPMSolverMultistep", "HeunDiscrete", "KarrasDPM", "K_EULER_ANCESTRAL", "K_EULER",
  "PNDM", NULL
};
static const char *const sdxl_refiners[] = {
  "no_refiner", "expert_ensemble_refiner", "base_image_refiner", NULL
};

#define D_RATIO  "Aspect ratio for the generated image"
#define D_FORMAT "Format of the output images"
#define D_QUALITY "Quality when saving the output images, from 0 to 100. 100 is best quality, " \
                  "0 is lowest quality. Not relevant for .png outputs"
#define D_SAFETY "Disable safety checker for generated images."
#define D_FAST   "Run faster predictions with additional optimizations."
#define D_MP     "Approximate number of megapixels for generated image"
#define D_SEED   "Random seed. Set for reproducible generation"

/* Not a real model: one input of every kind the editor's form maps,
 * including types it has no control for, and a required input after
 * optional ones. */
static const char *const every_styles[] = { "photo", "painting", "sketch", NULL };
static const ModelInput every_inputs[] = {
  IN_PROMPT ("What to draw"),
  IN_STR ("negative_prompt", "What to leave out", NULL),
  IN_ENUM ("style", "Rendering style", "\"photo\"", every_styles),
  IN_INT ("steps", "Number of denoising steps", "20", 1, 50),
  IN_NUM ("strength", "How far to move from the input image", "0.5", 0, 1),
  IN_SEED ("Random seed; leave empty for a random one"),
  IN_BOOL ("upscale", "Upscale the result", "false"),
  IN_STR ("caption", "A caption written under the image", NULL),
  IN_IMAGE ("image", "An image to start from"),
  IN_LIST ("tags", "Tags for the result, as a list"),
  IN_ANY ("extra", "Free-form settings passed to the model"),
  { .name = "variant", .type = IN_STRING, .description = "Model variant to run",
    .required = TRUE },
  IN_END
};

static const ModelInput flux_schnell_inputs[] = {
  IN_PROMPT ("Prompt for generated image"),
  IN_ENUM ("aspect_ratio", D_RATIO, "\"1:1\"", flux_ratios),
  IN_INT ("num_outputs", "Number of outputs to generate", "1", 1, 4),
  IN_INT ("num_inference_steps", "Number of denoising steps. 4 is recommended, and lower "
          "number of steps produce lower quality outputs, faster.", "4", 1, 4),
  IN_SEED (D_SEED),
  IN_ENUM ("output_format", D_FORMAT, "\"webp\"", flux_formats),
  IN_INT ("output_quality", D_QUALITY, "80", 0, 100),
  IN_BOOL ("disable_safety_checker", D_SAFETY, "false"),
  IN_BOOL ("go_fast", D_FAST, "true"),
  IN_ENUM ("megapixels", D_MP, "\"1\"", flux_megapixels),
  IN_END
};

static const ModelInput flux_dev_inputs[] = {
  IN_PROMPT ("Prompt for generated image"),
  IN_ENUM ("aspect_ratio", D_RATIO, "\"1:1\"", flux_ratios),
  IN_IMAGE ("image", "Input image for image to image mode. The aspect ratio of your output "
            "will match this image"),
  IN_NUM ("prompt_strength", "Prompt strength when using img2img. 1.0 corresponds to full "
          "destruction of information in image", "0.8", 0, 1),
  IN_INT ("num_outputs", "Number of outputs to generate", "1", 1, 4),
  IN_INT ("num_inference_steps", "Number of denoising steps. Recommended range is 28-50, and "
          "lower number of steps produce lower quality outputs, faster.", "28", 1, 50),
  IN_NUM ("guidance", "Guidance for generated image", "3", 0, 10),
  IN_SEED (D_SEED),
  IN_ENUM ("output_format", D_FORMAT, "\"webp\"", flux_formats),
  IN_INT ("output_quality", D_QUALITY, "80", 0, 100),
  IN_BOOL ("disable_safety_checker", D_SAFETY, "false"),
  IN_BOOL ("go_fast", D_FAST, "true"),
  IN_ENUM ("megapixels", D_MP, "\"1\"", flux_megapixels),
  IN_END
};

static const ModelInput flux_pro_inputs[] = {
  IN_PROMPT ("Text prompt for image generation"),
  IN_ENUM ("aspect_ratio", "Aspect ratio for the generated image", "\"1:1\"", pro_ratios),
  IN_INT ("width", "Width of the generated image in text-to-image mode. Only used when "
          "aspect_ratio=custom. Must be a multiple of 32 (if it's not, it will be rounded "
          "to nearest multiple of 32).", NULL, 256, 1440),
  IN_INT ("height", "Height of the generated image in text-to-image mode. Only used when "
          "aspect_ratio=custom. Must be a multiple of 32 (if it's not, it will be rounded "
          "to nearest multiple of 32).", NULL, 256, 1440),
  IN_IMAGE ("image_prompt", "Image to use with Flux Redux. This is used together with the "
            "text prompt to guide the generation towards the composition of the image_prompt. "
            "Must be jpeg, png, gif, or webp."),
  IN_SEED ("Random seed. Set for reproducible generation"),
  IN_ENUM ("output_format", "Format of the output images.", "\"webp\"", flux_formats),
  IN_INT ("output_quality", D_QUALITY, "80", 0, 100),
  IN_INT ("safety_tolerance", "Safety tolerance, 1 is most strict and 6 is most permissive",
          "2", 1, 6),
  IN_BOOL ("prompt_upsampling", "Automatically modify the prompt for more creative generation",
           "false"),
  IN_END
};

static const ModelInput ideogram_inputs[] = {
  IN_PROMPT ("Text prompt for image generation"),
  IN_ENUM ("aspect_ratio", "Aspect ratio. Ignored if a resolution or inpainting image is given.",
           "\"1:1\"", ideogram_ratios),
  IN_ENUM ("resolution", "Resolution. Overrides aspect ratio. Ignored if an inpainting image "
           "is given.", "\"None\"", ideogram_resolutions),
  IN_ENUM ("magic_prompt_option", "Magic Prompt will interpret your prompt and optimize it to "
           "maximize variety and quality of the images generated.", "\"Auto\"", ideogram_magic),
  IN_ENUM ("style_type", "The styles help define the specific aesthetic of the image you want "
           "to generate.", "\"None\"", ideogram_styles),
  IN_IMAGE ("image", "An image file to use for inpainting. You must also use a mask."),
  IN_IMAGE ("mask", "A black and white image. Black pixels are inpainted, white pixels are "
            "preserved."),
  IN_INT ("seed", "Random seed. Set for reproducible generation", NULL, 0, 2147483647),
  IN_END
};

static const ModelInput recraft_inputs[] = {
  IN_PROMPT ("Text prompt for image generation"),
  IN_ENUM ("size", "Width and height of the generated image. Size is ignored if an aspect "
           "ratio is set.", "\"1024x1024\"", recraft_sizes),
  IN_ENUM ("aspect_ratio", "Aspect ratio of the generated image", "\"Not set\"", recraft_ratios),
  IN_ENUM ("style", "Style of the generated image.", "\"any\"", recraft_styles),
  IN_END
};

static const ModelInput sdxl_inputs[] = {
  IN_STR ("prompt", "Input prompt", "\"An astronaut riding a rainbow unicorn\""),
  IN_STR ("negative_prompt", "Input Negative Prompt", "\"\""),
  IN_IMAGE ("image", "Input image for img2img or inpaint mode"),
  IN_IMAGE ("mask", "Input mask for inpaint mode. Black areas will be preserved, white areas "
            "will be inpainted."),
  IN_INT ("width", "Width of output image", "1024", 128, 2048),
  IN_INT ("height", "Height of output image", "1024", 128, 2048),
  IN_INT ("num_outputs", "Number of images to output.", "1", 1, 4),
  IN_ENUM ("scheduler", "scheduler", "\"K_EULER\"", sdxl_schedulers),
  IN_INT ("num_inference_steps", "Number of denoising steps", "50", 1, 500),
  IN_NUM ("guidance_scale", "Scale for classifier-free guidance", "7.5", 1, 50),
  IN_NUM ("prompt_strength", "Prompt strength when using img2img / inpaint. 1.0 corresponds to "
          "full destruction of information in image", "0.8", 0, 1),
  IN_SEED ("Random seed. Leave blank to randomize the seed"),
  IN_ENUM ("refine", "Which refine style to use", "\"no_refiner\"", sdxl_refiners),
  IN_NUM ("high_noise_frac", "For expert_ensemble_refiner, the fraction of noise to use",
          "0.8", 0, 1),
  IN_BOOL ("apply_watermark", "Applies a watermark to enable determining if an image is "
           "generated in downstream applications. If you have other provisions for generating "
           "or deploying images safely, you can use this to disable watermarking.", "true"),
  IN_NUM ("lora_scale", "LoRA additive scale. Only applicable on trained models.", "0.6", 0, 1),
  IN_BOOL ("disable_safety_checker", "Disable safety checker for generated images. This "
           "feature is only available through the API. See "
           "[https://replicate.com/docs/how-does-replicate-work#safety]"
           "(https://replicate.com/docs/how-does-replicate-work#safety)", "false"),
  IN_END
};

static const Model models[] = {
  { "black-forest-labs", "flux-schnell",
    "The fastest image generation model tailored for local development and personal use",
    "c846a69991daf4c0e5d016514849d14ee5b2e6846ce6b9d6f21369e564cfe51e", NULL,
    TRUE, TRUE, NULL, flux_schnell_inputs },
  { "black-forest-labs", "flux-dev",
    "A 12 billion parameter rectified flow transformer capable of generating images from "
    "text descriptions",
    "6e4a938f85952bdabcc15aa329178c4d681c52bf25a0342403287dc26944661d", NULL,
    TRUE, TRUE, NULL, flux_dev_inputs },
  { "black-forest-labs", "flux-1.1-pro",
    "Faster, better FLUX Pro. Text-to-image model with excellent image quality, prompt "
    "adherence, and output diversity.",
    "609793a667ed94b210242837d3c3c9fc9a64ae93685f15d75002ba0ed9a97f2b", NULL,
    TRUE, FALSE, NULL, flux_pro_inputs },
  { "ideogram-ai", "ideogram-v3-quality",
    "The highest quality Ideogram v3 model. v3 creates images with stunning realism, creative "
    "designs, and consistent styles",
    "d1fd2e5ac1c4ab6ea5fe4a0c0e8a0cf2cf1b49dba6d0c5e4a7f8c2b6d3e1a0f9", NULL,
    TRUE, FALSE, "png", ideogram_inputs },
  { "recraft-ai", "recraft-v3",
    "Recraft V3 (code-named red_panda) is a text-to-image model with the ability to generate "
    "long texts, and images in a wide list of styles.",
    "8b4e1a2c7f0d93e6b5a4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2", NULL,
    TRUE, FALSE, "png", recraft_inputs },
  { "stability-ai", "sdxl",
    "A text-to-image generative AI model that creates beautiful images",
    "7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc",
    "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b",
    FALSE, TRUE, "png", sdxl_inputs },
  { "easel-tests", "every-input",
    "Every kind of input the editor's parameter form maps (test model)",
    "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", NULL,
    TRUE, FALSE, "png", every_inputs },
};

static const Model *
find_model (const char *owner,
            const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (g_str_equal (models[i].owner, owner) && g_str_equal (models[i].name, name))
      return &models[i];
  return NULL;
}

/* Accepts "<id>" and "owner/name:<id>". */
static const Model *
find_version (const char *version)
{
  const char *colon = strchr (version, ':');
  const char *id = colon ? colon + 1 : version;

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      const Model *model = &models[i];

      if (g_strcmp0 (model->version, id) != 0 && g_strcmp0 (model->older_version, id) != 0)
        continue;
      if (colon != NULL)
        {
          g_autofree char *full = g_strdup_printf ("%s/%s", model->owner, model->name);

          if (strncmp (version, full, colon - version) != 0 || strlen (full) != (gsize) (colon - version))
            continue;
        }
      return model;
    }
  return NULL;
}

static const ModelInput *
find_input (const Model *model,
            const char  *name)
{
  for (const ModelInput *in = model->inputs; in->name != NULL; in++)
    if (g_str_equal (in->name, name))
      return in;
  return NULL;
}

/* ---- State -------------------------------------------------------------- */

typedef enum
{
  ST_STARTING,
  ST_PROCESSING,
  ST_SUCCEEDED,
  ST_FAILED,
  ST_CANCELED,
  ST_ABORTED,
} PredStatus;

static const char *const status_names[] = {
  "starting", "processing", "succeeded", "failed", "canceled", "aborted"
};

typedef struct
{
  char          *id;
  guint          seq;
  const Model   *model;
  char          *version;
  JsonObject    *input;
  PredStatus     status;
  gint64         created_ms;
  gint64         started_ms;
  gint64         completed_ms;
  gint64         deadline_ms;
  char          *error;
  GString       *logs;
  char          *webhook;
  JsonNode      *webhook_events_filter;

  char          *render_key;
  guint          n_outputs;
  guint          width;
  guint          height;
  EmuImageFormat format;
  const char    *extension;
  guint64        seed;
  guint          running_ms;     /* fixed at creation */
  guint          step;
  guint          n_steps;
  gboolean       fail;
  gboolean       nsfw;

  guint          timer;
  guint          deadline_timer;
  GPtrArray     *waiters;
} Prediction;

typedef struct
{
  EaselEmulator *self;
  EmuRequest    *req;
  Prediction    *pred;
  guint          timer;
} Waiter;

typedef struct
{
  char       *id;
  char       *name;
  char       *content_type;
  GBytes     *bytes;
  char       *sha256;
  char       *md5;
  JsonNode   *metadata;
  gint64      created_ms;
} StoredFile;

struct _EmuReplicate
{
  GPtrArray  *predictions;    /* Prediction, in creation order */
  GHashTable *by_id;          /* id -> Prediction (borrowed) */
  GPtrArray  *files;          /* StoredFile, in creation order */
};

#define FILE_LIFETIME_MS (24 * 3600 * 1000)

static void
prediction_free (gpointer data)
{
  Prediction *pred = data;

  g_ptr_array_unref (pred->waiters);
  g_free (pred->id);
  g_free (pred->version);
  g_clear_pointer (&pred->input, json_object_unref);
  g_free (pred->error);
  g_string_free (pred->logs, TRUE);
  g_free (pred->webhook);
  g_clear_pointer (&pred->webhook_events_filter, json_node_unref);
  g_free (pred->render_key);
  g_free (pred);
}

static void
stored_file_free (gpointer data)
{
  StoredFile *file = data;

  g_free (file->id);
  g_free (file->name);
  g_free (file->content_type);
  g_bytes_unref (file->bytes);
  g_free (file->sha256);
  g_free (file->md5);
  g_clear_pointer (&file->metadata, json_node_unref);
  g_free (file);
}

EmuReplicate *
emu_replicate_new (EaselEmulator *self)
{
  EmuReplicate *state = g_new0 (EmuReplicate, 1);

  state->predictions = g_ptr_array_new_with_free_func (prediction_free);
  state->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  state->files = g_ptr_array_new_with_free_func (stored_file_free);
  return state;
}

void
emu_replicate_free (EmuReplicate *state)
{
  g_hash_table_unref (state->by_id);
  g_ptr_array_unref (state->predictions);
  g_ptr_array_unref (state->files);
  g_free (state);
}

static gboolean
is_terminal (const Prediction *pred)
{
  return pred->status >= ST_SUCCEEDED;
}

/* Replicate purges an API prediction's inputs, outputs and logs an hour
 * after it finished; set_output_ttl() shortens that (0 keeps them). */
static gboolean
is_removed (EaselEmulator    *self,
            const Prediction *pred)
{
  return is_terminal (pred) && self->output_ttl_s > 0 &&
         emu_now_ms (self) >= pred->completed_ms + (gint64) self->output_ttl_s * 1000;
}

/* ---- JSON --------------------------------------------------------------- */

static JsonNode *
time_node (EaselEmulator *self,
           gint64         at_ms)
{
  JsonNode *node;
  g_autofree char *text = NULL;

  if (at_ms < 0)
    return json_node_new (JSON_NODE_NULL);
  text = emu_format_time (self, at_ms, 6);
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, text);
  return node;
}

static char *
output_url (EaselEmulator *self,
            Prediction    *pred,
            guint          index)
{
  return emu_url (self, "/_emulator/replicate.delivery/xezq/%s/out-%u.%s",
                  pred->id, index, pred->extension);
}

static JsonObject *
prediction_json (EaselEmulator *self,
                 Prediction    *pred)
{
  JsonObject *object = json_object_new ();
  JsonObject *urls = json_object_new ();
  JsonObject *metrics = json_object_new ();
  gboolean removed = is_removed (self, pred);
  g_autofree char *model = g_strdup_printf ("%s/%s", pred->model->owner, pred->model->name);
  g_autofree char *cancel_url = emu_url (self, "/v1/predictions/%s/cancel", pred->id);
  g_autofree char *get_url = emu_url (self, "/v1/predictions/%s", pred->id);
  g_autofree char *web_url = g_strdup_printf ("https://replicate.com/p/%s", pred->id);

  json_object_set_string_member (object, "id", pred->id);
  json_object_set_string_member (object, "model", model);
  json_object_set_string_member (object, "version", pred->version);
  json_object_set_object_member (object, "input",
                                 removed ? json_object_new () : json_object_ref (pred->input));
  json_object_set_string_member (object, "logs", removed ? "" : pred->logs->str);

  if (pred->status == ST_SUCCEEDED && !removed)
    {
      if (pred->model->many_outputs)
        {
          JsonArray *outputs = json_array_new ();

          for (guint i = 0; i < pred->n_outputs; i++)
            {
              g_autofree char *url = output_url (self, pred, i);

              json_array_add_string_element (outputs, url);
            }
          json_object_set_array_member (object, "output", outputs);
        }
      else
        {
          g_autofree char *url = output_url (self, pred, 0);

          json_object_set_string_member (object, "output", url);
        }
    }
  else
    json_object_set_null_member (object, "output");

  json_object_set_boolean_member (object, "data_removed", removed);
  if (pred->error != NULL)
    json_object_set_string_member (object, "error", pred->error);
  else
    json_object_set_null_member (object, "error");
  json_object_set_string_member (object, "source", "api");
  json_object_set_string_member (object, "status", status_names[pred->status]);
  json_object_set_member (object, "created_at", time_node (self, pred->created_ms));
  json_object_set_member (object, "started_at", time_node (self, pred->started_ms));
  json_object_set_member (object, "completed_at", time_node (self, pred->completed_ms));
  if (pred->deadline_ms >= 0)
    json_object_set_member (object, "deadline", time_node (self, pred->deadline_ms));
  if (pred->webhook != NULL)
    json_object_set_string_member (object, "webhook", pred->webhook);
  if (pred->webhook_events_filter != NULL)
    json_object_set_member (object, "webhook_events_filter",
                            json_node_copy (pred->webhook_events_filter));

  json_object_set_string_member (urls, "cancel", cancel_url);
  json_object_set_string_member (urls, "get", get_url);
  json_object_set_string_member (urls, "web", web_url);
  json_object_set_object_member (object, "urls", urls);

  if (is_terminal (pred))
    {
      if (pred->started_ms >= 0)
        json_object_set_double_member (metrics, "predict_time",
                                       (pred->completed_ms - pred->started_ms) / 1000.0);
      json_object_set_double_member (metrics, "total_time",
                                     (pred->completed_ms - pred->created_ms) / 1000.0);
      /* Official models are billed per image. */
      if (pred->model->official && pred->status == ST_SUCCEEDED)
        json_object_set_int_member (metrics, "image_count", pred->n_outputs);
    }
  json_object_set_object_member (object, "metrics", metrics);

  return object;
}

/* Cog's schema: enums as a component referenced through allOf, titles in
 * "Title Case", x-order giving the form order. */
static char *
title_case (const char *name)
{
  g_auto(GStrv) words = g_strsplit (name, "_", -1);

  for (guint i = 0; words[i] != NULL; i++)
    words[i][0] = g_ascii_toupper (words[i][0]);
  return g_strjoinv (" ", words);
}

static JsonObject *
model_schema (const Model *model)
{
  JsonObject *schema = json_object_new ();
  JsonObject *info = json_object_new ();
  JsonObject *components = json_object_new ();
  JsonObject *schemas = json_object_new ();
  JsonObject *input = json_object_new ();
  JsonObject *properties = json_object_new ();
  JsonObject *output = json_object_new ();
  JsonArray *required = json_array_new ();
  guint order = 0;

  json_object_set_string_member (schema, "openapi", "3.0.2");
  json_object_set_string_member (info, "title", "Cog");
  json_object_set_string_member (info, "version", "0.1.0");
  json_object_set_object_member (schema, "info", info);
  json_object_set_object_member (schema, "paths", json_object_new ());

  for (const ModelInput *in = model->inputs; in->name != NULL; in++, order++)
    {
      JsonObject *prop = json_object_new ();
      g_autofree char *title = title_case (in->name);

      if (in->type == IN_ENUM)
        {
          JsonObject *component = json_object_new ();
          JsonArray *values = json_array_new ();
          JsonArray *all_of = json_array_new ();
          JsonObject *ref = json_object_new ();
          g_autofree char *pointer = g_strdup_printf ("#/components/schemas/%s", in->name);

          for (guint i = 0; in->choices[i] != NULL; i++)
            json_array_add_string_element (values, in->choices[i]);
          json_object_set_array_member (component, "enum", values);
          json_object_set_string_member (component, "type", "string");
          json_object_set_string_member (component, "title", in->name);
          json_object_set_string_member (component, "description", "An enumeration.");
          json_object_set_object_member (schemas, in->name, component);

          json_object_set_string_member (ref, "$ref", pointer);
          json_array_add_object_element (all_of, ref);
          json_object_set_array_member (prop, "allOf", all_of);
        }
      else
        {
          static const char *const type_names[] = {
            "string", "string", "integer", "number", "boolean", "string", "array", NULL
          };

          if (type_names[in->type] != NULL)
            json_object_set_string_member (prop, "type", type_names[in->type]);
          if (in->type == IN_ARRAY)
            {
              JsonObject *items = json_object_new ();

              json_object_set_string_member (items, "type", "string");
              json_object_set_object_member (prop, "items", items);
            }
          json_object_set_string_member (prop, "title", title);
          if (in->type == IN_URI)
            json_object_set_string_member (prop, "format", "uri");
          if (in->has_range && in->type == IN_INTEGER)
            {
              json_object_set_int_member (prop, "minimum", (gint64) in->minimum);
              json_object_set_int_member (prop, "maximum", (gint64) in->maximum);
            }
          else if (in->has_range)
            {
              json_object_set_double_member (prop, "minimum", in->minimum);
              json_object_set_double_member (prop, "maximum", in->maximum);
            }
        }

      if (in->default_json != NULL)
        json_object_set_member (prop, "default", json_from_string (in->default_json, NULL));
      json_object_set_string_member (prop, "description", in->description);
      json_object_set_int_member (prop, "x-order", order);
      json_object_set_object_member (properties, in->name, prop);

      if (in->required)
        json_array_add_string_element (required, in->name);
    }

  json_object_set_string_member (input, "type", "object");
  json_object_set_string_member (input, "title", "Input");
  if (json_array_get_length (required) > 0)
    json_object_set_array_member (input, "required", required);
  else
    json_array_unref (required);
  json_object_set_object_member (input, "properties", properties);
  json_object_set_object_member (schemas, "Input", input);

  if (model->many_outputs)
    {
      JsonObject *items = json_object_new ();

      json_object_set_string_member (output, "type", "array");
      json_object_set_string_member (items, "type", "string");
      json_object_set_string_member (items, "format", "uri");
      json_object_set_object_member (output, "items", items);
    }
  else
    {
      json_object_set_string_member (output, "type", "string");
      json_object_set_string_member (output, "format", "uri");
    }
  json_object_set_string_member (output, "title", "Output");
  json_object_set_object_member (schemas, "Output", output);

  json_object_set_object_member (components, "schemas", schemas);
  json_object_set_object_member (schema, "components", components);
  return schema;
}

static JsonObject *
model_json (EaselEmulator *self,
            const Model   *model)
{
  JsonObject *object = json_object_new ();
  JsonObject *version = json_object_new ();
  g_autofree char *url = g_strdup_printf ("https://replicate.com/%s/%s", model->owner, model->name);

  json_object_set_string_member (object, "url", url);
  json_object_set_string_member (object, "owner", model->owner);
  json_object_set_string_member (object, "name", model->name);
  json_object_set_string_member (object, "description", model->description);
  json_object_set_string_member (object, "visibility", "public");
  json_object_set_null_member (object, "github_url");
  json_object_set_null_member (object, "paper_url");
  json_object_set_null_member (object, "license_url");
  json_object_set_int_member (object, "run_count", 1000000 + (gint64) (emu_hash64 (url, 0) % 9000000));
  json_object_set_null_member (object, "cover_image_url");
  json_object_set_null_member (object, "default_example");
  json_object_set_boolean_member (object, "is_official", model->official);

  json_object_set_string_member (version, "id", model->version);
  json_object_set_string_member (version, "created_at", "2025-06-01T12:00:00.000000Z");
  json_object_set_string_member (version, "cog_version", "0.14.0");
  json_object_set_object_member (version, "openapi_schema", model_schema (model));
  json_object_set_object_member (object, "latest_version", version);
  return object;
}

/* ---- Validation --------------------------------------------------------- */

typedef struct
{
  GString   *detail;
  JsonArray *fields;
} Problems;

static void
problem_add (Problems   *problems,
             const char *type,
             const char *field,
             const char *format,
             ...) G_GNUC_PRINTF (4, 5);

static void
problem_add (Problems   *problems,
             const char *type,
             const char *field,
             const char *format,
             ...)
{
  g_autofree char *description = NULL;
  JsonObject *entry = json_object_new ();
  va_list args;

  va_start (args, format);
  description = g_strdup_vprintf (format, args);
  va_end (args);

  g_string_append_printf (problems->detail, "- %s: %s\n", field, description);
  json_object_set_string_member (entry, "type", type);
  json_object_set_string_member (entry, "field", field);
  json_object_set_string_member (entry, "description", description);
  json_array_add_object_element (problems->fields, entry);
}

/* Replicate's 422 body; takes @problems. A NULL @detail lists the fields. */
static JsonObject *
problems_body (Problems   *problems,
               const char *title,
               const char *detail)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "title", title);
  json_object_set_string_member (body, "detail", detail ? detail : problems->detail->str);
  json_object_set_int_member (body, "status", 422);
  json_object_set_array_member (body, "invalid_fields", problems->fields);
  g_string_free (problems->detail, TRUE);
  return body;
}

static void
reply_invalid_field (EmuRequest *req,
                     const char *title,
                     const char *type,
                     const char *field,
                     const char *description,
                     const char *detail)
{
  Problems problems = { g_string_new (NULL), json_array_new () };

  problem_add (&problems, type, field, "%s", description);
  emu_reply_object (req, 422, problems_body (&problems, title, detail));
}

static const char *
json_type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return "string";
    case G_TYPE_BOOLEAN: return "boolean";
    case G_TYPE_INT64: return "integer";
    default: return "number";
    }
}

static gboolean
value_is (JsonNode *node,
          GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static void
validate_value (const ModelInput *in,
                JsonNode         *node,
                Problems         *problems)
{
  g_autofree char *field = g_strdup_printf ("input.%s", in->name);
  static const char *const expected[] = {
    "string", "string", "integer", "number", "boolean", "string", "array", "any"
  };
  double number = 0;
  gboolean type_ok;

  switch (in->type)
    {
    case IN_STRING:
    case IN_URI:
    case IN_ENUM:
      type_ok = value_is (node, G_TYPE_STRING);
      break;
    case IN_BOOLEAN:
      type_ok = value_is (node, G_TYPE_BOOLEAN);
      break;
    case IN_ARRAY:
      type_ok = JSON_NODE_HOLDS_ARRAY (node);
      break;
    case IN_UNTYPED:
      type_ok = TRUE;
      break;
    case IN_INTEGER:
      type_ok = value_is (node, G_TYPE_INT64);
      if (!type_ok && value_is (node, G_TYPE_DOUBLE))
        type_ok = json_node_get_double (node) == floor (json_node_get_double (node));
      if (type_ok)
        number = json_node_get_double (node);
      break;
    case IN_NUMBER:
      type_ok = value_is (node, G_TYPE_INT64) || value_is (node, G_TYPE_DOUBLE);
      if (type_ok)
        number = json_node_get_double (node);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!type_ok)
    {
      problem_add (problems, "invalid_type", field, "Invalid type. Expected: %s, given: %s",
                   expected[in->type], json_type_name (node));
      return;
    }

  if (in->type == IN_ENUM)
    {
      const char *value = json_node_get_string (node);
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; in->choices[i] != NULL; i++)
        if (g_str_equal (in->choices[i], value))
          return;
      for (guint i = 0; in->choices[i] != NULL; i++)
        g_string_append_printf (list, "%s\"%s\"", i ? ", " : "", in->choices[i]);
      problem_add (problems, "enum", field, "%s must be one of the following: %s",
                   in->name, list->str);
      return;
    }

  if (in->type == IN_URI)
    {
      const char *value = json_node_get_string (node);
      g_autofree char *scheme = g_uri_parse_scheme (value);

      if (scheme == NULL ||
          (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0 &&
           g_ascii_strcasecmp (scheme, "data") != 0))
        problem_add (problems, "format", field, "Does not match format 'uri'");
      return;
    }

  if (in->has_range && number < in->minimum)
    problem_add (problems, "greater_than_or_equal", field,
                 "Must be greater than or equal to %g", in->minimum);
  else if (in->has_range && number > in->maximum)
    problem_add (problems, "less_than_or_equal", field,
                 "Must be less than or equal to %g", in->maximum);
}

/* Returns an error body for Replicate's 422, or NULL when @input is fine.
 * Unknown members pass, as Cog's schemas do not forbid them. */
static JsonObject *
validate_input (const Model *model,
                JsonNode    *input)
{
  Problems problems = { g_string_new (NULL), json_array_new () };

  if (input == NULL || !JSON_NODE_HOLDS_OBJECT (input))
    problem_add (&problems, "invalid_type", "input", "Invalid type. Expected: object, given: %s",
                 input ? json_type_name (input) : "null");
  else
    {
      JsonObject *object = json_node_get_object (input);

      for (const ModelInput *in = model->inputs; in->name != NULL; in++)
        {
          if (json_object_has_member (object, in->name))
            validate_value (in, json_object_get_member (object, in->name), &problems);
          else if (in->required)
            problem_add (&problems, "required", "input", "%s is required", in->name);
        }
    }

  if (json_array_get_length (problems.fields) == 0)
    {
      g_string_free (problems.detail, TRUE);
      json_array_unref (problems.fields);
      return NULL;
    }
  return problems_body (&problems, "Input validation failed", NULL);
}

/* ---- Outputs ------------------------------------------------------------ */

static const char *
input_string (Prediction *pred,
              const char *name)
{
  const char *value = emu_json_get_string (pred->input, name);

  if (value == NULL)
    {
      const ModelInput *in = find_input (pred->model, name);

      if (in != NULL && in->default_json != NULL && in->default_json[0] == '"')
        {
          /* Defaults are static JSON strings like "\"1:1\"": find the choice. */
          for (guint i = 0; in->choices != NULL && in->choices[i] != NULL; i++)
            if (strlen (in->choices[i]) == strlen (in->default_json) - 2 &&
                strncmp (in->choices[i], in->default_json + 1, strlen (in->choices[i])) == 0)
              return in->choices[i];
        }
    }
  return value;
}

static gint64
input_int (Prediction *pred,
           const char *name,
           gint64      fallback)
{
  gint64 value;
  const ModelInput *in;

  if (emu_json_get_int (pred->input, name, &value))
    return value;
  in = find_input (pred->model, name);
  if (in != NULL && in->default_json != NULL)
    return g_ascii_strtoll (in->default_json, NULL, 10);
  return fallback;
}

static gboolean
parse_pair (const char *text,
            char        separator,
            guint      *a,
            guint      *b)
{
  const char *sep;
  guint64 x, y;

  if (text == NULL || (sep = strchr (text, separator)) == NULL)
    return FALSE;
  x = g_ascii_strtoull (text, NULL, 10);
  y = g_ascii_strtoull (sep + 1, NULL, 10);
  if (x == 0 || y == 0 || x > 100000 || y > 100000)
    return FALSE;
  *a = (guint) x;
  *b = (guint) y;
  return TRUE;
}

/* The size the model would produce: about a megapixel at the requested
 * aspect ratio, or the explicit width/height/size. */
static void
nominal_size (Prediction *pred,
              guint      *width,
              guint      *height)
{
  const char *ratio = input_string (pred, "aspect_ratio");
  const char *size = input_string (pred, "size");
  const char *resolution = input_string (pred, "resolution");
  const char *megapixels = input_string (pred, "megapixels");
  double area = 1024.0 * 1024.0;
  guint w = 1, h = 1;

  if (g_strcmp0 (megapixels, "0.25") == 0)
    area /= 4;

  if (parse_pair (resolution, 'x', width, height))
    return;

  if (g_strcmp0 (ratio, "custom") == 0 ||
      (find_input (pred->model, "width") != NULL && ratio == NULL))
    {
      *width = (guint) input_int (pred, "width", 1024);
      *height = (guint) input_int (pred, "height", 1024);
      return;
    }

  if ((ratio == NULL || g_strcmp0 (ratio, "Not set") == 0) && parse_pair (size, 'x', width, height))
    return;

  if (!parse_pair (ratio, ':', &w, &h))
    w = h = 1;

  *width = (guint) (floor (sqrt (area * w / h) / 16.0 + 0.5) * 16);
  *height = (guint) (floor (sqrt (area * h / w) / 16.0 + 0.5) * 16);
}

static void
prepare_outputs (EaselEmulator *self,
                 Prediction    *pred)
{
  const char *format = input_string (pred, "output_format");
  const char *prompt = input_string (pred, "prompt");
  g_autofree char *model = g_strdup_printf ("%s/%s", pred->model->owner, pred->model->name);
  guint nominal_w, nominal_h;
  gint64 seed;

  if (format == NULL)
    format = pred->model->fixed_format;

  /* gdk-pixbuf has no WebP encoder: a webp request gets PNG bytes under a
   * .png name, so the URL never lies about the content. */
  if (g_strcmp0 (format, "jpg") == 0)
    {
      pred->format = EMU_IMAGE_JPEG;
      pred->extension = "jpg";
    }
  else
    {
      pred->format = EMU_IMAGE_PNG;
      pred->extension = "png";
    }

  pred->n_outputs = find_input (pred->model, "num_outputs") ? (guint) input_int (pred, "num_outputs", 1) : 1;
  nominal_size (pred, &nominal_w, &nominal_h);
  emu_image_fit (nominal_w, nominal_h, &pred->width, &pred->height);

  if (emu_json_get_int (pred->input, "seed", &seed))
    pred->seed = (guint64) seed;
  else
    pred->seed = g_rand_int (self->rand);

  pred->render_key = g_strdup_printf ("replicate\n%s\n%s\n%" G_GUINT64_FORMAT,
                                      model, prompt ? prompt : "", pred->seed);
  pred->n_steps = (guint) CLAMP (input_int (pred, "num_inference_steps", 4), 1, 50);
  pred->fail = emu_has_marker (prompt, EMU_MARK_FAIL);
  pred->nsfw = emu_has_marker (prompt, EMU_MARK_MODERATE);
}

/* ---- Lifecycle ---------------------------------------------------------- */

static void waiter_finish (Waiter *waiter);

static void
notify_waiters (Prediction *pred)
{
  if (!is_terminal (pred))
    return;
  while (pred->waiters->len > 0)
    waiter_finish (g_ptr_array_index (pred->waiters, 0));
}

static void
finish (EaselEmulator *self,
        Prediction    *pred,
        PredStatus     status,
        const char    *error)
{
  if (is_terminal (pred))
    return;

  pred->status = status;
  pred->completed_ms = emu_now_ms (self);
  g_free (pred->error);
  pred->error = g_strdup (error);
  emu_clock_cancel (self, &pred->timer);
  emu_clock_cancel (self, &pred->deadline_timer);
  notify_waiters (pred);
}

static void
append_progress (Prediction *pred)
{
  guint percent = pred->step * 100 / pred->n_steps;
  guint filled = pred->step * 10 / pred->n_steps;
  g_autoptr(GString) bar = g_string_new (NULL);

  for (guint i = 0; i < 10; i++)
    g_string_append (bar, i < filled ? "█" : " ");

  if (pred->step == 0)
    g_string_append_printf (pred->logs, "  0%%|%s| 0/%u [00:00<?, ?it/s]\n", bar->str, pred->n_steps);
  else
    g_string_append_printf (pred->logs, "%3u%%|%s| %u/%u [00:0%u<00:0%u, %5.2fit/s]\n",
                            percent, bar->str, pred->step, pred->n_steps,
                            MIN (pred->step / 4, 9u), MIN ((pred->n_steps - pred->step) / 4, 9u),
                            3.97 + (pred->step % 7) * 0.11);
}

static void
step_cb (EaselEmulator *self,
         gpointer       data)
{
  Prediction *pred = data;
  guint delay = pred->running_ms / pred->n_steps;

  pred->timer = 0;
  pred->step++;
  append_progress (pred);

  if (pred->fail && pred->step * 2 >= pred->n_steps)
    {
      g_string_append (pred->logs, "Traceback (most recent call last):\n"
                                   "RuntimeError: emulated model failure\n");
      finish (self, pred, ST_FAILED,
              "Prediction failed: emulated model error (the prompt contains \"" EMU_MARK_FAIL "\")");
      return;
    }

  if (pred->step < pred->n_steps)
    {
      pred->timer = emu_clock_schedule (self, delay, step_cb, pred);
      return;
    }

  if (pred->nsfw)
    {
      g_string_append (pred->logs, "NSFW content detected in the output\n");
      finish (self, pred, ST_FAILED,
              "NSFW content detected. Try running it again, or try a different prompt.");
      return;
    }

  finish (self, pred, ST_SUCCEEDED, NULL);
}

static void
start_cb (EaselEmulator *self,
          gpointer       data)
{
  Prediction *pred = data;

  pred->timer = 0;
  pred->status = ST_PROCESSING;
  pred->started_ms = emu_now_ms (self);
  g_string_append_printf (pred->logs, "Using seed: %" G_GUINT64_FORMAT "\n", pred->seed);
  append_progress (pred);
  pred->timer = emu_clock_schedule (self, pred->running_ms / pred->n_steps, step_cb, pred);
}

/* Cancel-After: not started by the deadline -> aborted, running -> canceled. */
static void
deadline_cb (EaselEmulator *self,
             gpointer       data)
{
  Prediction *pred = data;

  pred->deadline_timer = 0;
  if (pred->status == ST_STARTING)
    finish (self, pred, ST_ABORTED, NULL);
  else if (pred->status == ST_PROCESSING)
    finish (self, pred, ST_CANCELED, NULL);
}

/* ---- Prefer: wait ------------------------------------------------------- */

static void
waiter_finish (Waiter *waiter)
{
  EaselEmulator *self = waiter->self;
  EmuRequest *req = waiter->req;
  Prediction *pred = waiter->pred;

  emu_clock_cancel (self, &waiter->timer);
  emu_request_on_detach (req, NULL, NULL);
  g_ptr_array_remove (pred->waiters, waiter);   /* frees @waiter */
  emu_reply_object (req, 201, prediction_json (self, pred));
}

static void
waiter_timeout_cb (EaselEmulator *self,
                   gpointer       data)
{
  Waiter *waiter = data;

  waiter->timer = 0;
  waiter_finish (waiter);
}

static void
waiter_detach (gpointer data)
{
  Waiter *waiter = data;

  emu_clock_cancel (waiter->self, &waiter->timer);
  g_ptr_array_remove (waiter->pred->waiters, waiter);
}

/* "wait" or "wait=N" among the preferences; capped at 60 s as the real
 * server does. Returns 0 for no wait. */
static guint
parse_prefer_wait (const char *header)
{
  g_auto(GStrv) prefs = NULL;
  guint seconds = 0;

  if (header == NULL)
    return 0;

  prefs = g_strsplit_set (header, ",;", -1);
  for (guint i = 0; prefs[i] != NULL; i++)
    {
      char *pref = g_strstrip (prefs[i]);

      if (g_ascii_strcasecmp (pref, "wait") == 0)
        seconds = 60;
      else if (g_ascii_strncasecmp (pref, "wait=", 5) == 0)
        seconds = (guint) CLAMP (g_ascii_strtoll (pref + 5, NULL, 10), 1, 60);
    }
  return seconds;
}

/* UNCONFIRMED grammar (providers.md: only "1m" is documented): one or more
 * NUMBER UNIT pairs, units ms, s, m, h ("30s", "2m", "1h30m", "1.5h"), or
 * a bare number of seconds. Returns -1 when it does not parse. */
static gint64
parse_duration (const char *text)
{
  const char *p = text;
  double total = 0;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '\0')
    return -1;

  while (*p != '\0' && !g_ascii_isspace (*p))
    {
      char *end = NULL;
      double value = g_ascii_strtod (p, &end);

      if (end == p || value < 0 || !g_ascii_isdigit (*p))
        return -1;
      p = end;

      if (*p == '\0' && total == 0)
        return (gint64) (value * 1000);
      if (g_str_has_prefix (p, "ms"))
        total += value, p += 2;
      else if (*p == 's')
        total += value * 1000, p++;
      else if (*p == 'm')
        total += value * 60000, p++;
      else if (*p == 'h')
        total += value * 3600000, p++;
      else
        return -1;
    }

  while (g_ascii_isspace (*p))
    p++;
  return *p == '\0' && total > 0 ? (gint64) total : -1;
}

/* ---- Handlers ----------------------------------------------------------- */

static Prediction *
lookup (EaselEmulator *self,
        const char    *id)
{
  return g_hash_table_lookup (self->replicate->by_id, id);
}

/* The prediction named by the path, or NULL after answering 404. */
static Prediction *
require_prediction (EaselEmulator *self,
                    EmuRequest    *req)
{
  Prediction *pred = lookup (self, req->params[0]);

  if (pred == NULL)
    emu_reply_error (req, 404, NULL);
  return pred;
}

static void
create_prediction (EaselEmulator *self,
                   EmuRequest    *req,
                   const Model   *model,
                   const char    *version,
                   JsonObject    *body)
{
  EmuReplicate *state = self->replicate;
  JsonNode *input = json_object_get_member (body, "input");
  JsonObject *problems = validate_input (model, input);
  const char *cancel_after = emu_request_header (req, "Cancel-After");
  const char *webhook = emu_json_get_string (body, "webhook");
  guint wait = parse_prefer_wait (emu_request_header (req, "Prefer"));
  gint64 deadline = -1;
  Prediction *pred;

  if (problems != NULL)
    {
      emu_reply_object (req, 422, problems);
      return;
    }

  if (cancel_after != NULL && (deadline = parse_duration (cancel_after)) < 0)
    {
      emu_reply_error (req, 400, "Invalid Cancel-After header \"%s\": expected a duration "
                       "such as 30s, 2m or 1h30m", cancel_after);
      return;
    }

  pred = g_new0 (Prediction, 1);
  pred->id = emu_random_id (self, "abcdefghijklmnopqrstuvwxyz0123456789", 26);
  pred->seq = state->predictions->len + 1;
  pred->model = model;
  pred->version = g_strdup (version);
  pred->input = json_object_ref (json_node_get_object (input));
  pred->status = ST_STARTING;
  pred->created_ms = emu_now_ms (self);
  pred->started_ms = -1;
  pred->completed_ms = -1;
  pred->deadline_ms = deadline >= 0 ? pred->created_ms + deadline : -1;
  pred->logs = g_string_new (NULL);
  pred->running_ms = self->running_ms;
  pred->webhook = g_strdup (webhook);
  if (json_object_has_member (body, "webhook_events_filter"))
    pred->webhook_events_filter = json_node_copy (json_object_get_member (body, "webhook_events_filter"));
  pred->waiters = g_ptr_array_new_with_free_func (g_free);
  prepare_outputs (self, pred);

  g_ptr_array_add (state->predictions, pred);
  g_hash_table_insert (state->by_id, pred->id, pred);
  emu_count_submit (req);

  pred->timer = emu_clock_schedule (self, self->queued_ms, start_cb, pred);
  if (deadline >= 0)
    pred->deadline_timer = emu_clock_schedule (self, (guint64) deadline, deadline_cb, pred);

  if (wait > 0)
    {
      Waiter *waiter = g_new0 (Waiter, 1);

      waiter->self = self;
      waiter->req = req;
      waiter->pred = pred;
      waiter->timer = emu_clock_schedule (self, wait * 1000, waiter_timeout_cb, waiter);
      g_ptr_array_add (pred->waiters, waiter);
      emu_request_on_detach (req, waiter_detach, waiter);
      return;
    }

  emu_reply_object (req, 201, prediction_json (self, pred));
}

static JsonObject *
read_body (EmuRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonObject *body = emu_request_json (req, &error);

  if (body == NULL)
    emu_reply_error (req, 400, "%s", error->message);
  return body;
}

static void
model_predictions_handler (EaselEmulator *self,
                           EmuRequest    *req)
{
  const Model *model = find_model (req->params[0], req->params[1]);
  g_autoptr(JsonObject) body = NULL;

  if (model == NULL)
    {
      emu_reply_error (req, 404, NULL);
      return;
    }

  /* UNCONFIRMED: providers.md documents this endpoint for official models
   * only; community models are refused the way an unknown version is. */
  if (!model->official)
    {
      emu_reply_error (req, 422, "%s/%s is not an official model: create the prediction with "
                       "POST /v1/predictions and a version", model->owner, model->name);
      return;
    }

  if ((body = read_body (req)) == NULL)
    return;
  create_prediction (self, req, model, "hidden", body);
}

static void
predictions_create_handler (EaselEmulator *self,
                            EmuRequest    *req)
{
  g_autoptr(JsonObject) body = read_body (req);
  const char *version;
  const Model *model;
  const char *colon;

  if (body == NULL)
    return;

  version = emu_json_get_string (body, "version");
  if (version == NULL)
    {
      reply_invalid_field (req, "Input validation failed", "required", "version",
                           "version is required", NULL);
      return;
    }

  model = find_version (version);
  if (model == NULL)
    {
      static const char detail[] = "The specified version does not exist (or perhaps you "
                                   "don't have permission to use it?)";

      reply_invalid_field (req, "Invalid version or not permitted", "invalid_version", "version",
                           detail, detail);
      return;
    }

  colon = strchr (version, ':');
  create_prediction (self, req, model, colon ? colon + 1 : version, body);
}

static void
prediction_get_handler (EaselEmulator *self,
                        EmuRequest    *req)
{
  Prediction *pred = require_prediction (self, req);

  if (pred != NULL)
    emu_reply_object (req, 200, prediction_json (self, pred));
}

static void
prediction_cancel_handler (EaselEmulator *self,
                           EmuRequest    *req)
{
  Prediction *pred = require_prediction (self, req);

  if (pred == NULL)
    return;

  finish (self, pred, ST_CANCELED, NULL);
  emu_reply_object (req, 200, prediction_json (self, pred));
}

/* Cursors look like Replicate's: base64 of "p=<position>" (older items) or
 * "r=1&p=<position>" (newer items); positions are creation sequence
 * numbers, so pages stay stable while new predictions arrive. */
static char *
make_cursor (EaselEmulator *self,
             gboolean       reverse,
             guint          seq)
{
  g_autofree char *raw = g_strdup_printf ("%sp=%u", reverse ? "r=1&" : "", seq);
  g_autofree char *encoded = g_base64_encode ((const guchar *) raw, strlen (raw));
  g_autofree char *escaped = g_uri_escape_string (encoded, NULL, FALSE);

  return emu_url (self, "/v1/predictions?cursor=%s", escaped);
}

static gboolean
parse_cursor (const char *cursor,
              gboolean   *reverse,
              guint      *seq)
{
  gsize length;
  g_autofree guchar *raw = g_base64_decode (cursor, &length);
  g_autofree char *text = g_strndup ((const char *) raw, length);
  const char *p = text;
  char *end = NULL;
  guint64 value;

  *reverse = g_str_has_prefix (p, "r=1&");
  if (*reverse)
    p += 4;
  if (!g_str_has_prefix (p, "p="))
    return FALSE;
  value = g_ascii_strtoull (p + 2, &end, 10);
  if (end == p + 2 || *end != '\0' || value > G_MAXUINT)
    return FALSE;
  *seq = (guint) value;
  return TRUE;
}

static void
predictions_list_handler (EaselEmulator *self,
                          EmuRequest    *req)
{
  GPtrArray *all = self->replicate->predictions;
  const char *cursor = emu_request_query (req, "cursor");
  g_autoptr(GPtrArray) page = g_ptr_array_new ();
  JsonObject *object = json_object_new ();
  JsonArray *results = json_array_new ();
  gboolean reverse = FALSE;
  guint seq = G_MAXUINT;
  guint newest, oldest;

  if (cursor != NULL && !parse_cursor (cursor, &reverse, &seq))
    {
      json_object_unref (object);
      json_array_unref (results);
      emu_reply_error (req, 404, "Invalid cursor");
      return;
    }

  /* all[i] has sequence number i + 1. */
  if (!reverse)
    {
      for (guint i = MIN (seq - 1, all->len); i > 0 && page->len < self->page_size; i--)
        g_ptr_array_add (page, all->pdata[i - 1]);
    }
  else
    {
      guint first = MIN (seq, all->len);
      guint last = MIN (first + self->page_size, all->len);

      for (guint i = last; i > first; i--)
        g_ptr_array_add (page, all->pdata[i - 1]);
    }

  for (guint i = 0; i < page->len; i++)
    json_array_add_object_element (results, prediction_json (self, page->pdata[i]));

  newest = page->len ? ((Prediction *) page->pdata[0])->seq : 0;
  oldest = page->len ? ((Prediction *) page->pdata[page->len - 1])->seq : 0;

  if (page->len > 0 && newest < all->len && cursor != NULL)
    {
      g_autofree char *url = make_cursor (self, TRUE, newest);

      json_object_set_string_member (object, "previous", url);
    }
  else
    json_object_set_null_member (object, "previous");
  if (page->len > 0 && oldest > 1)
    {
      g_autofree char *url = make_cursor (self, FALSE, oldest);

      json_object_set_string_member (object, "next", url);
    }
  else
    json_object_set_null_member (object, "next");
  json_object_set_array_member (object, "results", results);

  emu_reply_object (req, 200, object);
}

static void
model_get_handler (EaselEmulator *self,
                   EmuRequest    *req)
{
  const Model *model = find_model (req->params[0], req->params[1]);

  if (model == NULL)
    emu_reply_error (req, 404, NULL);
  else
    emu_reply_object (req, 200, model_json (self, model));
}

static void
account_handler (EaselEmulator *self,
                 EmuRequest    *req)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "type", "user");
  json_object_set_string_member (object, "username", "emulator");
  json_object_set_string_member (object, "name", "Easel Emulator");
  json_object_set_null_member (object, "github_url");
  emu_reply_object (req, 200, object);
}

static void
delivery_handler (EaselEmulator *self,
                  EmuRequest    *req)
{
  Prediction *pred = lookup (self, req->params[1]);
  g_autofree char *expected_suffix = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint64 index;
  char *end = NULL;
  const char *file = req->params[2];

  if (pred == NULL || pred->status != ST_SUCCEEDED || is_removed (self, pred) ||
      !g_str_has_prefix (file, "out-"))
    {
      emu_reply_text (req, 404, "Not found");
      return;
    }

  index = g_ascii_strtoull (file + 4, &end, 10);
  expected_suffix = g_strdup_printf (".%s", pred->extension);
  if (end == file + 4 || index >= pred->n_outputs || g_strcmp0 (end, expected_suffix) != 0)
    {
      emu_reply_text (req, 404, "Not found");
      return;
    }

  pixbuf = emu_image_draw (pred->render_key, (guint) index, pred->width, pred->height);
  bytes = emu_image_encode (pixbuf, pred->format);
  if (bytes == NULL)
    {
      emu_reply_text (req, 500, "Could not encode the image");
      return;
    }
  emu_set_header (req, "Cache-Control", "public, max-age=3600");
  emu_reply_bytes (req, 200, emu_image_mime (pred->format), bytes);
}

/* ---- Files -------------------------------------------------------------- */

static StoredFile *
lookup_file (EaselEmulator *self,
             const char    *id)
{
  GPtrArray *files = self->replicate->files;

  for (guint i = 0; i < files->len; i++)
    {
      StoredFile *file = files->pdata[i];

      if (g_str_equal (file->id, id))
        return emu_now_ms (self) < file->created_ms + FILE_LIFETIME_MS ? file : NULL;
    }
  return NULL;
}

/* The file named by the path, or NULL after answering 404. */
static StoredFile *
require_file (EaselEmulator *self,
              EmuRequest    *req)
{
  StoredFile *file = lookup_file (self, req->params[0]);

  if (file == NULL)
    emu_reply_error (req, 404, NULL);
  return file;
}

static JsonObject *
file_json (EaselEmulator *self,
           StoredFile    *file)
{
  JsonObject *object = json_object_new ();
  JsonObject *checksums = json_object_new ();
  JsonObject *urls = json_object_new ();
  g_autofree char *get_url = emu_url (self, "/v1/files/%s", file->id);

  json_object_set_string_member (object, "id", file->id);
  json_object_set_string_member (object, "name", file->name);
  json_object_set_string_member (object, "content_type", file->content_type);
  json_object_set_int_member (object, "size", g_bytes_get_size (file->bytes));
  json_object_set_string_member (object, "etag", file->md5);
  json_object_set_string_member (checksums, "sha256", file->sha256);
  json_object_set_string_member (checksums, "md5", file->md5);
  json_object_set_object_member (object, "checksums", checksums);
  json_object_set_member (object, "metadata", json_node_copy (file->metadata));
  json_object_set_member (object, "created_at", time_node (self, file->created_ms));
  /* UNCONFIRMED: files are kept for a day. */
  json_object_set_member (object, "expires_at",
                          time_node (self, file->created_ms + FILE_LIFETIME_MS));
  json_object_set_string_member (urls, "get", get_url);
  json_object_set_object_member (object, "urls", urls);
  return object;
}

static JsonNode *
parse_metadata (EmuForm  *form,
                GError  **error)
{
  EmuFormFile *part = g_hash_table_lookup (form->files, "metadata");
  const char *text = emu_form_string (form, "metadata");
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (part != NULL)
    {
      if (!json_parser_load_from_data (parser, g_bytes_get_data (part->bytes, NULL),
                                       g_bytes_get_size (part->bytes), error))
        return NULL;
    }
  else if (text != NULL)
    {
      if (!json_parser_load_from_data (parser, text, -1, error))
        return NULL;
    }
  else
    return emu_json_object_node (json_object_new ());

  return json_node_copy (json_parser_get_root (parser));
}

static void
files_create_handler (EaselEmulator *self,
                      EmuRequest    *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EmuForm) form = emu_request_form (req, &error);
  EmuFormFile *content;
  StoredFile *file;
  JsonNode *metadata;
  g_autofree char *uuid = NULL;

  if (form == NULL)
    {
      emu_reply_error (req, 400, "%s", error->message);
      return;
    }

  content = g_hash_table_lookup (form->files, "content");
  if (content == NULL)
    {
      emu_reply_error (req, 400, "The multipart body needs a \"content\" part with the file");
      return;
    }

  metadata = parse_metadata (form, &error);
  if (metadata == NULL)
    {
      emu_reply_error (req, 400, "The metadata part is not valid JSON: %s", error->message);
      return;
    }

  uuid = emu_uuid (self);
  file = g_new0 (StoredFile, 1);
  file->id = g_base64_encode ((const guchar *) uuid, strlen (uuid));
  g_strdelimit (file->id, "=", '\0');
  file->name = g_strdup (content->filename ? content->filename : "file");
  file->content_type = g_strdup (content->content_type);
  file->bytes = g_bytes_ref (content->bytes);
  file->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content->bytes);
  file->md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, content->bytes);
  file->metadata = metadata;
  file->created_ms = emu_now_ms (self);
  g_ptr_array_add (self->replicate->files, file);

  emu_reply_object (req, 201, file_json (self, file));
}

static void
files_list_handler (EaselEmulator *self,
                    EmuRequest    *req)
{
  GPtrArray *files = self->replicate->files;
  JsonObject *object = json_object_new ();
  JsonArray *results = json_array_new ();

  for (guint i = files->len; i > 0; i--)
    {
      StoredFile *file = files->pdata[i - 1];

      if (lookup_file (self, file->id) == file)
        json_array_add_object_element (results, file_json (self, file));
    }

  json_object_set_null_member (object, "previous");
  json_object_set_null_member (object, "next");
  json_object_set_array_member (object, "results", results);
  emu_reply_object (req, 200, object);
}

static void
file_get_handler (EaselEmulator *self,
                  EmuRequest    *req)
{
  StoredFile *file = require_file (self, req);

  if (file != NULL)
    emu_reply_object (req, 200, file_json (self, file));
}

static void
file_download_handler (EaselEmulator *self,
                       EmuRequest    *req)
{
  StoredFile *file = require_file (self, req);

  if (file != NULL)
    emu_reply_bytes (req, 200, file->content_type, file->bytes);
}

static void
file_delete_handler (EaselEmulator *self,
                     EmuRequest    *req)
{
  StoredFile *file = require_file (self, req);

  if (file != NULL)
    {
      g_ptr_array_remove (self->replicate->files, file);
      emu_reply_empty (req, 204);
    }
}

const EmuRoute emu_replicate_routes[] = {
  { "POST", "/v1/models/{owner}/{name}/predictions", EMU_API_REPLICATE, FALSE, model_predictions_handler },
  { "GET", "/v1/models/{owner}/{name}", EMU_API_REPLICATE, FALSE, model_get_handler },
  { "POST", "/v1/predictions", EMU_API_REPLICATE, FALSE, predictions_create_handler },
  { "GET", "/v1/predictions", EMU_API_REPLICATE, FALSE, predictions_list_handler },
  { "GET", "/v1/predictions/{id}", EMU_API_REPLICATE, FALSE, prediction_get_handler },
  { "POST", "/v1/predictions/{id}/cancel", EMU_API_REPLICATE, FALSE, prediction_cancel_handler },
  { "POST", "/v1/files", EMU_API_REPLICATE, FALSE, files_create_handler },
  { "GET", "/v1/files", EMU_API_REPLICATE, FALSE, files_list_handler },
  { "GET", "/v1/files/{id}", EMU_API_REPLICATE, FALSE, file_get_handler },
  { "DELETE", "/v1/files/{id}", EMU_API_REPLICATE, FALSE, file_delete_handler },
  { "GET", "/v1/files/{id}/download", EMU_API_REPLICATE, FALSE, file_download_handler },
  { "GET", "/v1/account", EMU_API_REPLICATE, FALSE, account_handler },
  { "GET", "/_emulator/replicate.delivery/{bucket}/{id}/{file}", EMU_API_NONE, TRUE, delivery_handler },
  { NULL }
};
